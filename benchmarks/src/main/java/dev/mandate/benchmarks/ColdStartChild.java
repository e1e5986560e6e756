package dev.mandate.benchmarks;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.mandate.functions.SignHandler;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * One cold start, in a fresh JVM started by {@link ColdStart}: JVM start → handler constructed
 * (Lambda's init) → first response → second response. Prints one {@code coldstart ...} line.
 *
 * <p>Arguments: {@code sign <wallet id> <app id> <app secret>} or {@code bare}.
 */
public final class ColdStartChild {
  private ColdStartChild() {}

  public static void main(final String[] args) {
    final long jvmStart = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();
    final boolean sign = args[0].equals("sign");
    final RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> handler =
        sign ? new SignHandler() : new BareHandler();
    final long initialised = System.currentTimeMillis();
    final APIGatewayV2HTTPEvent event = sign ? signEvent(args[1], args[2], args[3]) : bareEvent();
    final APIGatewayV2HTTPResponse first = handler.handleRequest(event, null);
    final long firstDone = System.currentTimeMillis();
    final APIGatewayV2HTTPResponse second = handler.handleRequest(event, null);
    final long secondDone = System.currentTimeMillis();
    if (first.getStatusCode() != 200 || second.getStatusCode() != 200) {
      throw new IllegalStateException("handler answered " + first.getStatusCode() + " " + first.getBody());
    }
    System.out.println("coldstart " + args[0] + " init_ms=" + (initialised - jvmStart)
        + " first_call_ms=" + (firstDone - initialised) + " first_response_ms=" + (firstDone - jvmStart)
        + " second_call_ms=" + (secondDone - firstDone));
  }

  private static APIGatewayV2HTTPEvent signEvent(final String wallet, final String app, final String secret) {
    final APIGatewayV2HTTPEvent event = event("/v1/wallets/" + wallet + "/rpc");
    event.setHeaders(Map.of("privy-app-id", app, "content-type", "application/json", "authorization",
        "Basic " + Base64.getEncoder().encodeToString((app + ":" + secret).getBytes(StandardCharsets.UTF_8))));
    event.setBody("{\"method\":\"personal_sign\",\"params\":{\"message\":\"cold\",\"encoding\":\"utf-8\"}}");
    return event;
  }

  private static APIGatewayV2HTTPEvent bareEvent() {
    return event("/bare");
  }

  private static APIGatewayV2HTTPEvent event(final String path) {
    final APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
    event.setRawPath(path);
    event.setRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
        .withDomainName("bench.example")
        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST").build())
        .build());
    return event;
  }
}
