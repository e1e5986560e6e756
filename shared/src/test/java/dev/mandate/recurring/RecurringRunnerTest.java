package dev.mandate.recurring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.Mandate;
import dev.mandate.api.ApiRequest;
import dev.mandate.api.ApiResponse;
import dev.mandate.api.Json;
import dev.mandate.enclave.Enclave;
import dev.mandate.enclave.keys.DevKeyWrapper;
import dev.mandate.signing.PublicUrl;
import dev.mandate.store.InMemoryStore;
import dev.mandate.store.Item;
import dev.mandate.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner over the whole domain (in-memory store, in-process enclave, dev action keys). */
class RecurringRunnerTest {
  private static final String APP = "runnerapp000000000000001";
  private static final String SECRET = "privy_app_secret_runner";
  private static final String MESSAGE = "{\"method\":\"personal_sign\",\"params\":{\"message\":\"tick\",\"encoding\":\"utf-8\"}}";

  @TempDir
  Path dir;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T12:00:00Z"));
  private InMemoryStore store;
  private Mandate mandate;

  @BeforeEach
  void setUp() {
    store = InMemoryStore.create(clock);
    final DevKeyWrapper keys = DevKeyWrapper.builder().keyFile(dir.resolve("dev.key")).build();
    mandate = Mandate.create(store, store.idempotency(), new Enclave(keys)::handle, keys,
        new PublicUrl(Optional.of("http://127.0.0.1:8080")), clock);
    mandate.apps().ensureApp(APP, SECRET);
  }

  @Test
  void anActionWhoseKeyCannotSignFailsItsRunAndTheOthersStillRun() {
    final String broken = action();
    final String healthy = action();
    final Item record = store.get(APP, RecurringActionService.KIND, broken).orElseThrow();
    final ObjectNode doc = Json.parseStored(record.doc());
    ((ObjectNode) doc.get("key")).put("reference", "bm90IGEgd3JhcHBlZCBrZXk");
    store.update(record.withDoc(doc.toString()), record.version());

    clock.advance(Duration.ofMinutes(1));
    assertThat(mandate.recurringRunner().runDue()).isEqualTo(2);

    final JsonNode failed = runs(broken).get(0);
    assertThat(failed.path("outcome").asText()).isEqualTo("failed");
    assertThat(failed.path("code").asText()).isEqualTo("action_signing_failed");
    assertThat(failed.has("finished_at")).isTrue();
    assertThat(runs(healthy).get(0).path("outcome").asText()).isEqualTo("succeeded");
    assertThat(runs(healthy).get(0).path("result").path("signature").asText()).startsWith("0x");
  }

  /** An ownerless wallet (the app's credentials are enough) and an action signing a message every minute. */
  private String action() {
    final String wallet = ok(mandate.walletsApi().handle(request("POST", "/v1/wallets", "{\"chain_type\":\"ethereum\"}")))
        .path("id").asText();
    return ok(mandate.recurringApi().handle(request("POST", "/v1/recurring_actions",
        "{\"wallet_id\":\"" + wallet + "\",\"schedule\":\"rate(1 minute)\",\"request\":" + MESSAGE + "}"))).path("id").asText();
  }

  private JsonNode runs(final String action) {
    return ok(mandate.recurringApi().handle(request("GET", "/v1/recurring_actions/" + action + "/runs", null))).path("data");
  }

  private static ApiRequest request(final String method, final String path, final String body) {
    final Map<String, String> headers = new HashMap<>();
    headers.put("privy-app-id", APP);
    headers.put("authorization", "Basic " + Base64.getEncoder().encodeToString((APP + ":" + SECRET).getBytes(StandardCharsets.UTF_8)));
    headers.put("content-type", "application/json");
    return new ApiRequest(method, path, headers, Map.of(), Optional.ofNullable(body), Optional.of("127.0.0.1"));
  }

  private static JsonNode ok(final ApiResponse response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return Json.parseStored(response.body());
  }
}
