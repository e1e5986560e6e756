package dev.mandate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.mandate.Mandate;
import dev.mandate.api.Api;
import dev.mandate.api.ApiResponse;
import dev.mandate.api.Route;
import dev.mandate.app.AppService;
import dev.mandate.enclave.Enclave;
import dev.mandate.enclave.keys.DevKeyWrapper;
import dev.mandate.signing.PublicUrl;
import dev.mandate.store.InMemoryStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HttpApiHandlerTest {
  private final InMemoryStore store = InMemoryStore.create();
  private final AppService apps = appService(store);
  private final AtomicInteger calls = new AtomicInteger();

  private final class TestHandler extends HttpApiHandler {
    TestHandler() {
      super(new Api(apps, List.of(new Route("POST", "/v1/wallets", call -> {
        calls.incrementAndGet();
        return new ApiResponse(200, "{\"app\":\"" + call.appId() + "\",\"body\":" + call.request().body().orElse("null") + "}");
      }))));
    }
  }

  /** Apps are sealed by the enclave, so the service needs one (dev key wrapper, throwaway key). */
  private static AppService appService(final InMemoryStore store) {
    try {
      final DevKeyWrapper keys = DevKeyWrapper.builder()
          .keyFile(Files.createTempDirectory("mandate-handler").resolve("dev.key")).build();
      return Mandate.create(store, store.idempotency(), new Enclave(keys)::handle,
          new PublicUrl(Optional.empty()), Clock.systemUTC()).apps();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void priming_beforeTheSnapshot_stopsAtAppAuthentication() {
    new TestHandler().beforeCheckpoint(null);
    assertThat(calls).hasValue(0);
  }

  @Test
  void anEventBecomesARequestAndTheResponseAnHttpApiResponse() {
    apps.ensureApp("app1", "secret1");
    final APIGatewayV2HTTPEvent event = new APIGatewayV2HTTPEvent();
    event.setRawPath("/api/v1/wallets");
    event.setHeaders(Map.of("Privy-App-Id", "app1", "Authorization",
        "Basic " + Base64.getEncoder().encodeToString("app1:secret1".getBytes(StandardCharsets.UTF_8))));
    event.setBody(Base64.getEncoder().encodeToString("{\"x\":1}".getBytes(StandardCharsets.UTF_8)));
    event.setIsBase64Encoded(true);
    event.setRequestContext(APIGatewayV2HTTPEvent.RequestContext.builder()
        .withHttp(APIGatewayV2HTTPEvent.RequestContext.Http.builder().withMethod("POST").build()).build());
    final APIGatewayV2HTTPResponse response = new TestHandler().handleRequest(event, null);
    assertThat(response.getStatusCode()).isEqualTo(200);
    assertThat(response.getHeaders()).containsEntry("content-type", "application/json");
    assertThat(response.getBody()).isEqualTo("{\"app\":\"app1\",\"body\":{\"x\":1}}");
  }
}
