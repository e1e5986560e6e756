package dev.mandate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mandate.Mandate;
import dev.mandate.api.ApiRequest;
import dev.mandate.api.ApiResponse;
import dev.mandate.api.Json;
import dev.mandate.enclave.Enclave;
import dev.mandate.enclave.keys.DevKeyWrapper;
import dev.mandate.signing.PublicUrl;
import dev.mandate.store.InMemoryStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * An app secret rotated by one process (another Lambda execution environment, the admin command)
 * stops working at once in every other, although their hosts keep a verified secret for 60 s: the
 * enclave holds each request to the app's sealed record as read with the wallet.
 */
class AppSecretRotationTest {
  private static final String APP = "rotationapp0000000000001";
  private static final String MESSAGE = "{\"method\":\"personal_sign\",\"params\":{\"message\":\"hi\",\"encoding\":\"utf-8\"}}";

  @Test
  void aSecretRotatedElsewhereIsRefusedAtOnceAndTheNewOneSigns() throws Exception {
    final InMemoryStore table = InMemoryStore.create();
    final Enclave enclave = new Enclave(DevKeyWrapper.builder()
        .keyFile(Files.createTempDirectory("mandate-rotation").resolve("dev.key")).build());
    final Mandate warm = Mandate.create(table, table.idempotency(), enclave::handle, new PublicUrl(Optional.empty()), Clock.systemUTC());
    final Mandate elsewhere = Mandate.create(table, table.idempotency(), enclave::handle, new PublicUrl(Optional.empty()), Clock.systemUTC());
    warm.apps().ensureApp(APP, "privy_app_secret_before");
    final ApiResponse created = warm.walletsApi().handle(request("/v1/wallets", "{\"chain_type\":\"ethereum\"}", "privy_app_secret_before"));
    assertThat(created.status()).isEqualTo(200);
    final String rpc = "/v1/wallets/" + Json.parseStored(created.body()).path("id").asText() + "/rpc";
    assertThat(warm.signApi().handle(request(rpc, MESSAGE, "privy_app_secret_before")).status()).isEqualTo(200);

    elsewhere.apps().ensureApp(APP, "privy_app_secret_after");

    final ApiResponse old = warm.signApi().handle(request(rpc, MESSAGE, "privy_app_secret_before"));
    assertThat(old.status()).as(old.body()).isEqualTo(401);
    assertThat(old.body()).contains("Invalid app ID or app secret.").doesNotContain("signature\"");
    assertThat(warm.signApi().handle(request(rpc, MESSAGE, "privy_app_secret_after")).status()).isEqualTo(200);
  }

  private static ApiRequest request(final String path, final String body, final String secret) {
    return new ApiRequest("POST", path, Map.of("privy-app-id", APP, "content-type", "application/json",
        "authorization", "Basic " + Base64.getEncoder().encodeToString((APP + ":" + secret).getBytes(StandardCharsets.UTF_8))),
        Map.of(), Optional.of(body), Optional.of("127.0.0.1"));
  }
}
