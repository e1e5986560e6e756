package dev.mandate.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mandate.app.AppService;
import dev.mandate.store.InMemoryStore;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;

class ApiUnavailableTest {
  private static final String APP = "unavailableapp0000000001";
  private static final String SECRET = "privy_app_secret_unavailable_0123456789";

  @Test
  void aDependencyThatDoesNotAnswerIsA503WithRetryAfter() {
    for (final Supplier<RuntimeException> outage : List.<Supplier<RuntimeException>>of(
        () -> ApiCallTimeoutException.create(3000),
        () -> SdkClientException.create("Unable to execute HTTP request: Connection refused"),
        () -> (RuntimeException) ProvisionedThroughputExceededException.builder().statusCode(400)
            .awsErrorDetails(software.amazon.awssdk.awscore.exception.AwsErrorDetails.builder()
                .errorCode("ProvisionedThroughputExceededException").build()).build(),
        () -> (RuntimeException) DynamoDbException.builder().statusCode(500).build(),
        () -> new IllegalStateException("wrapped", SdkClientException.create("reset")))) {
      final ApiResponse response = api(outage).handle(request());

      assertThat(response.status()).as(outage.get().toString()).isEqualTo(503);
      assertThat(Json.parseStored(response.body()).path("code").asText()).isEqualTo("service_unavailable");
      assertThat(response.headers()).containsEntry("retry-after", "1");
    }
  }

  @Test
  void anythingElseIsStillA500WithoutRetryAfter() {
    final ApiResponse response = api(() -> new IllegalStateException("bug")).handle(request());

    assertThat(response.status()).isEqualTo(500);
    assertThat(response.headers()).doesNotContainKey("retry-after");
  }

  @Test
  void a400FromTheServiceIsNotAnOutage() {
    final ApiResponse response = api(() -> (RuntimeException) DynamoDbException.builder().statusCode(400).build())
        .handle(request());

    assertThat(response.status()).isEqualTo(500);
  }

  private static Api api(final Supplier<RuntimeException> failure) {
    final InMemoryStore store = InMemoryStore.create();
    final dev.mandate.enclave.keys.KeyWrapper wrapper = dev.mandate.enclave.keys.DevKeyWrapper.builder()
        .keyFile(java.nio.file.Path.of(System.getProperty("java.io.tmpdir"), "mandate-api-unavailable-" + ProcessHandle.current().pid() + ".key")).build();
    final AppService apps = dev.mandate.Mandate.create(store, store.idempotency(),
        new dev.mandate.enclave.Enclave(wrapper)::handle,
        new dev.mandate.signing.PublicUrl(Optional.of("http://127.0.0.1:8080")), Clock.systemUTC()).apps();
    apps.ensureApp(APP, SECRET);
    return new Api(apps, List.of(new Route("POST", "/v1/fail", call -> {
      throw failure.get();
    })));
  }

  private static ApiRequest request() {
    return new ApiRequest("POST", "/v1/fail", Map.of("privy-app-id", APP, "authorization", "Basic "
        + Base64.getEncoder().encodeToString((APP + ":" + SECRET).getBytes(StandardCharsets.UTF_8))),
        Map.of(), Optional.of("{}"), Optional.empty());
  }
}
