package dev.mandate.local.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/** Answers with the event it received (and which Context), so tests can see what the runner built. */
public final class EchoHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  public static final AtomicInteger INSTANCES = new AtomicInteger();
  private static final ObjectMapper JSON = new ObjectMapper().setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);

  private final int instance;

  public EchoHandler() {
    instance = INSTANCES.incrementAndGet();
  }

  @Override
  public APIGatewayV2HTTPResponse handleRequest(final APIGatewayV2HTTPEvent event, final Context context) {
    final ObjectNode body = JSON.createObjectNode();
    body.set("event", JSON.valueToTree(event));
    body.put("instance", instance);
    body.put("functionName", context.getFunctionName());
    body.put("memory", context.getMemoryLimitInMB());
    body.put("remaining", context.getRemainingTimeInMillis());
    body.put("awsRequestId", context.getAwsRequestId());
    final int status = event.getQueryStringParameters() != null && event.getQueryStringParameters().containsKey("status")
        ? Integer.parseInt(event.getQueryStringParameters().get("status")) : 200;
    try {
      return APIGatewayV2HTTPResponse.builder()
          .withStatusCode(status)
          .withHeaders(Map.of("content-type", "application/json", "x-echo", "1"))
          .withMultiValueHeaders(Map.of("x-multi", List.of("a", "b")))
          .withCookies(List.of("c1=v1; Path=/"))
          .withBody(JSON.writeValueAsString(body))
          .build();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
