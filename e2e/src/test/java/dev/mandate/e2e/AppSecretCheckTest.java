package dev.mandate.e2e;

import static dev.mandate.e2e.MandateHttp.ok;
import static dev.mandate.e2e.MandateHttp.rpc;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mandate.Mandate;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The enclave's app-secret check (docs/security.md, "App credentials") against a rotation made by
 * another execution environment and against a writer of both tables, over HTTP on the runner: a
 * request authenticated by app secret reaches the enclave only with the secret's hash and the app's
 * sealed record as read now, whatever the host's own 60 s cache still trusts.
 */
class AppSecretCheckTest {
  private static final String SIGN = "{\"method\":\"personal_sign\",\"params\":{\"message\":\"secret\",\"encoding\":\"utf-8\"}}";

  private static final TableAttacker table = Stack.get().table();

  /**
   * Another instance rotates the secret (its write lands in the table with its anchor); this host
   * still trusts the old secret from its cache. The enclave holds every request to the record as
   * read now: signing and creating or resuming a recurring action with the old secret are refused.
   */
  @Test
  void aSecretRotatedElsewhereIsRefusedByTheEnclaveAtOnceThoughTheHostStillCachesIt() {
    final MandateHttp api = Stack.get().newApp("as");
    final String wallet = ok(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\"}")).path("id").asText();
    final String paused = pausedAction(api, wallet);
    final Map<String, AttributeValue> before = table.item(api.appId(), "app", api.appId());
    final String newSecret = "privy_app_secret_new_" + UUID.randomUUID();
    Mandate.instance().apps().ensureApp(api.appId(), newSecret);
    final Map<String, AttributeValue> rotated = table.item(api.appId(), "app", api.appId());
    table.putWithAnchor(before);
    ok(api.post(rpc(wallet), SIGN)); // this host reads the old record and caches the old secret for 60 s

    table.putWithAnchor(rotated); // the other instance's rotation lands

    assertRefused(api.post(rpc(wallet), SIGN));
    assertRefused(api.post("/v1/recurring_actions", action(wallet)));
    assertRefused(api.post("/v1/recurring_actions/" + paused + "/resume", ""));
    final MandateHttp current = api.withCredentials(api.appId(), newSecret);
    ok(current.post(rpc(wallet), SIGN));
    assertThat(ok(current.get("/v1/recurring_actions")).path("data")).as("no action created with the old secret").hasSize(1);
    assertThat(ok(current.get("/v1/recurring_actions/" + paused)).path("status").asText()).isEqualTo("paused");
  }

  /**
   * A writer of the anchor table too replaces the secret hash with their own: the host's check
   * passes, the enclave's must not — for recurring actions as for signing.
   */
  @Test
  void aForgedAppSecretCannotCreateOrResumeARecurringAction() {
    final MandateHttp api = Stack.get().newApp("as");
    final String wallet = ok(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\"}")).path("id").asText();
    final String paused = pausedAction(api, wallet);
    final String attackerSecret = "privy_app_secret_attacker_" + UUID.randomUUID();
    final Map<String, AttributeValue> genuine = table.item(api.appId(), "app", api.appId());
    final Map<String, AttributeValue> forged = new HashMap<>(genuine);
    forged.put("doc", AttributeValue.fromS(table.doc(genuine).put("secret_sha256", sha256Hex(attackerSecret)).toString()));
    table.putWithAnchor(forged);
    final MandateHttp attacker = api.withCredentials(api.appId(), attackerSecret);

    assertRefused(attacker.post(rpc(wallet), SIGN));
    assertRefused(attacker.post("/v1/recurring_actions", action(wallet)));
    assertRefused(attacker.post("/v1/recurring_actions/" + paused + "/resume", ""));

    table.putWithAnchor(genuine);
    assertThat(ok(api.get("/v1/recurring_actions")).path("data")).as("no action created by the attacker").hasSize(1);
    assertThat(ok(api.get("/v1/recurring_actions/" + paused)).path("status").asText()).isEqualTo("paused");
  }

  private static String pausedAction(final MandateHttp api, final String wallet) {
    final String id = ok(api.post("/v1/recurring_actions", action(wallet))).path("id").asText();
    ok(api.post("/v1/recurring_actions/" + id + "/pause", ""));
    return id;
  }

  private static String action(final String wallet) {
    return "{\"wallet_id\":\"" + wallet + "\",\"schedule\":\"rate(1 hour)\","
        + "\"request\":{\"method\":\"personal_sign\",\"params\":{\"message\":\"every hour\",\"encoding\":\"utf-8\"}}}";
  }

  /** Refused by the enclave (the record's hash differs, or its seal fails), and nothing in the answer. */
  private static void assertRefused(final MandateHttp.Response r) {
    assertThat(r.status()).as(r.toString()).isIn(401, 500);
    assertThat(r.code()).as(r.toString()).isIn("invalid_credentials", "integrity_check_failed");
    assertThat(r.json().path("data").isMissingNode()).as("nothing signed: %s", r).isTrue();
  }

  private static String sha256Hex(final String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
