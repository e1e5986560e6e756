package dev.mandate.local.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import java.util.Base64;
import java.util.Map;

/** Answers with three non-UTF-8 bytes, base64-encoded as Lambda requires. */
public final class BinaryHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  public static final byte[] BYTES = {(byte) 0xff, 0x00, (byte) 0xfe};

  @Override
  public APIGatewayV2HTTPResponse handleRequest(final APIGatewayV2HTTPEvent event, final Context context) {
    return APIGatewayV2HTTPResponse.builder()
        .withStatusCode(200)
        .withHeaders(Map.of("content-type", "application/octet-stream"))
        .withBody(Base64.getEncoder().encodeToString(BYTES))
        .withIsBase64Encoded(true)
        .build();
  }
}
