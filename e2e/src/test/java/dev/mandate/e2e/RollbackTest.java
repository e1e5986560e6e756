package dev.mandate.e2e;

import static dev.mandate.e2e.MandateHttp.ok;
import static dev.mandate.e2e.MandateHttp.rpc;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mandate.Mandate;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Tamper evidence that holds against the table writer of docs/security.md, over HTTP against the
 * local runner: editing, deleting, forging or putting back older genuine items (one at a time or a
 * whole-table backup) is refused with 500 {@code integrity_check_failed}, on signing and on reads,
 * and the refusal signs, shows and changes nothing. Each test runs in an app of its own, so what it
 * breaks stays there; tests that touch the whole table put it back as it was.
 */
class RollbackTest {
  private static final String SIGN = "{\"method\":\"personal_sign\",\"params\":{\"message\":\"rollback\",\"encoding\":\"utf-8\"}}";

  private static final TableAttacker table = Stack.get().table();
  private static JwtIssuer issuer;

  @BeforeAll
  static void setUp() {
    issuer = JwtIssuer.start();
  }

  @AfterAll
  static void close() {
    issuer.close();
  }

  /** A fresh app (through the domain, as the local runner registers its dev app) and a client for it. */
  private static MandateHttp newApp() {
    return Stack.get().newApp("rb");
  }

  private static void assertRefused(final MandateHttp.Response r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(500);
    assertThat(r.code()).isEqualTo("integrity_check_failed");
    assertThat(r.json().path("data").isMissingNode()).as("nothing signed: %s", r).isTrue();
    assertThat(Stack.get().logs()).contains("enclave_integrity_refusal");
  }

  private static String sha256Hex(final String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- app credentials ----

  @Test
  void anAppSecretHashReplacedWithTheAttackersOwnIsRefusedEverywhere() {
    final MandateHttp api = newApp();
    final String wallet = ok(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\"}")).path("id").asText();
    final String attackerSecret = "privy_app_secret_attacker_" + UUID.randomUUID();
    final Map<String, AttributeValue> genuine = table.editDoc(api.appId(), "app", api.appId(),
        doc -> doc.put("secret_sha256", sha256Hex(attackerSecret)));
    final MandateHttp attacker = api.withCredentials(api.appId(), attackerSecret);

    assertRefused(attacker.post(rpc(wallet), SIGN));
    assertRefused(attacker.send("PUT", "/v1/jwt_settings", issuer.settingsJson(), Map.of()));
    assertRefused(attacker.post("/v1/wallets", "{\"chain_type\":\"ethereum\"}"));
    assertRefused(attacker.get("/v1/wallets/" + wallet));
    assertRefused(api.raw("POST", "/v1/signer/authenticate", null,
        Map.of("privy-app-id", api.appId(), "authorization", "Bearer " + issuer.token("sub-" + UUID.randomUUID()))));

    table.put(genuine);
    assertThat(ok(api.get("/v1/wallets")).path("data")).hasSize(1);
    assertThat(api.get("/v1/jwt_settings").json().path("jwks_url").asText("")).isNotEqualTo(issuer.jwksUrl());
  }

  @Test
  void anAttackerWhoCanAlsoWriteAnchorsStillCannotActAsTheAppBySecret() {
    final MandateHttp api = newApp();
    final String wallet = ok(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\"}")).path("id").asText();
    final String attackerSecret = "privy_app_secret_attacker_" + UUID.randomUUID();
    final Map<String, AttributeValue> genuine = table.item(api.appId(), "app", api.appId());
    final Map<String, AttributeValue> forged = new HashMap<>(genuine);
    forged.put("doc", AttributeValue.fromS(table.doc(genuine).put("secret_sha256", sha256Hex(attackerSecret)).toString()));

    table.putWithAnchor(forged);
    final MandateHttp attacker = api.withCredentials(api.appId(), attackerSecret);

    // The host's check passes against the forged (anchored) record; the enclave does not: the forged
    // record's seal fails (500 integrity), or the enclave holds the secret to the genuine sealed
    // record the host cached (401).
    for (final MandateHttp.Response r : List.of(attacker.post(rpc(wallet), SIGN),
        attacker.post("/v1/wallets", "{\"chain_type\":\"ethereum\"}"),
        attacker.send("PUT", "/v1/jwt_settings", issuer.settingsJson(), Map.of()))) {
      assertThat(r.status()).as(r.toString()).isIn(401, 500);
      assertThat(r.code()).isIn("invalid_credentials", "integrity_check_failed");
      assertThat(r.json().path("data").isMissingNode()).isTrue();
    }
    table.putWithAnchor(genuine);
    assertThat(ok(api.get("/v1/wallets")).path("data")).hasSize(1);
  }

  @Test
  void anOlderAppSecretPutBackAfterRotationIsRefused() {
    final MandateHttp api = newApp();
    final String oldSecret = "privy_app_secret_old_" + UUID.randomUUID();
    Mandate.instance().apps().ensureApp(api.appId(), oldSecret);
    final Map<String, AttributeValue> old = table.item(api.appId(), "app", api.appId());
    Mandate.instance().apps().ensureApp(api.appId(), "privy_app_secret_new_" + UUID.randomUUID());

    table.put(old);

    assertRefused(api.withCredentials(api.appId(), oldSecret).post("/v1/wallets", "{\"chain_type\":\"ethereum\"}"));
  }

  // ---- signers, quorums, policies, session keys, JWT settings ----

  @Test
  void aRevokedSignerRestoredByPuttingBackTheOlderWalletItemIsRefused() {
    final MandateHttp api = newApp();
    final AuthKey owner = AuthKey.generate();
    final AuthKey signer = AuthKey.generate();
    final String signerQuorum = ok(api.post("/v1/key_quorums", "{\"public_keys\":[\"" + signer.publicKey() + "\"]}")).path("id").asText();
    final String wallet = ok(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"owner\":{\"public_key\":\"" + owner.publicKey()
        + "\"},\"additional_signers\":[{\"signer_id\":\"" + signerQuorum + "\"}]}")).path("id").asText();
    ok(api.signed("POST", rpc(wallet), SIGN, signer));
    final Map<String, AttributeValue> withSigner = table.item(api.appId(), "wallet", wallet);
    ok(api.signed("PATCH", "/v1/wallets/" + wallet, "{\"additional_signers\":[]}", owner));
    assertThat(api.signed("POST", rpc(wallet), SIGN, signer).status()).isIn(401, 403);

    table.put(withSigner);

    assertRefused(api.signed("POST", rpc(wallet), SIGN, signer));
    assertRefused(api.get("/v1/wallets/" + wallet));
    assertRefused(api.get("/v1/wallets"));
  }

  @Test
  void aRotatedQuorumKeyRestoredIsRefused() {
    final MandateHttp api = newApp();
    final AuthKey oldKey = AuthKey.generate();
    final AuthKey newKey = AuthKey.generate();
    final String quorum = ok(api.post("/v1/key_quorums", "{\"public_keys\":[\"" + oldKey.publicKey() + "\"]}")).path("id").asText();
    final String wallet = ok(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"owner_id\":\"" + quorum + "\"}")).path("id").asText();
    ok(api.signed("POST", rpc(wallet), SIGN, oldKey));
    final Map<String, AttributeValue> before = table.item(api.appId(), "key_quorum", quorum);
    ok(api.signed("PATCH", "/v1/key_quorums/" + quorum, "{\"public_keys\":[\"" + newKey.publicKey() + "\"]}", oldKey));
    assertThat(api.signed("POST", rpc(wallet), SIGN, oldKey).status()).isIn(401, 403);

    table.put(before);

    assertRefused(api.signed("POST", rpc(wallet), SIGN, oldKey));
    assertRefused(api.get("/v1/key_quorums/" + quorum));
  }

  @Test
  void aLoosenedPolicyRestoredIsRefused() {
    final MandateHttp api = newApp();
    final AuthKey owner = AuthKey.generate();
    final String policy = ok(api.post("/v1/policies", "{\"version\":\"1.0\",\"name\":\"messages\",\"chain_type\":\"ethereum\","
        + "\"owner\":{\"public_key\":\"" + owner.publicKey() + "\"},\"rules\":[{\"name\":\"messages\",\"method\":\"personal_sign\","
        + "\"action\":\"ALLOW\",\"conditions\":[]}]}")).path("id").asText();
    final String wallet = ok(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"policy_ids\":[\"" + policy + "\"]}")).path("id").asText();
    ok(api.post(rpc(wallet), SIGN));
    final Map<String, AttributeValue> loose = table.item(api.appId(), "policy", policy);
    ok(api.signed("PATCH", "/v1/policies/" + policy, "{\"rules\":[]}", owner));
    assertThat(api.post(rpc(wallet), SIGN).code()).isEqualTo("policy_violation");

    table.put(loose);

    assertRefused(api.post(rpc(wallet), SIGN));
    assertRefused(api.get("/v1/policies/" + policy));
  }

  @Test
  void aUsedOneTimeSessionKeyRestoredIsRefused() {
    final MandateHttp api = newApp();
    ok(api.send("PUT", "/v1/jwt_settings", issuer.settingsJson(), Map.of()));
    final Map<String, Map<String, AttributeValue>> before = table.ofKind(api.appId(), "session_key");
    final JsonNode auth = ok(api.raw("POST", "/v1/signer/authenticate", null,
        Map.of("privy-app-id", api.appId(), "authorization", "Bearer " + issuer.token("sub-" + UUID.randomUUID()))));
    final Map<String, Map<String, AttributeValue>> issued = new HashMap<>(table.ofKind(api.appId(), "session_key"));
    issued.keySet().removeAll(before.keySet());
    assertThat(issued).as("the one-time key is stored").isNotEmpty();
    final AuthKey key = AuthKey.fromPkcs8(auth.path("authenticated_signer").asText());
    final String wallet = auth.path("wallet_id").asText();
    ok(api.signed("POST", rpc(wallet), SIGN, key));
    assertThat(api.signed("POST", rpc(wallet), SIGN, key).status()).isEqualTo(401);

    issued.values().forEach(table::put);

    assertRefused(api.signed("POST", rpc(wallet), SIGN, key));
  }

  @Test
  void olderJwtSettingsRestoredAreRefused() {
    final MandateHttp api = newApp();
    ok(api.send("PUT", "/v1/jwt_settings", issuer.settingsJson(), Map.of()));
    final Map<String, AttributeValue> trusting = table.item(api.appId(), "jwt_settings", "default");
    assertThat(trusting).as("jwt settings item id").isNotEmpty();
    try (JwtIssuer other = JwtIssuer.start()) {
      ok(api.send("PUT", "/v1/jwt_settings", other.settingsJson(), Map.of()));
    }
    final String jwt = issuer.token("sub-" + UUID.randomUUID());
    assertThat(api.raw("POST", "/v1/signer/authenticate", null, Map.of("privy-app-id", api.appId(), "authorization", "Bearer " + jwt)).status())
        .isNotEqualTo(200);

    table.put(trusting);

    assertRefused(api.raw("POST", "/v1/signer/authenticate", null, Map.of("privy-app-id", api.appId(), "authorization", "Bearer " + jwt)));
    assertRefused(api.get("/v1/jwt_settings"));
  }

  @Test
  void anOlderConditionSetRestoredIsRefused() {
    final MandateHttp api = newApp();
    final AuthKey owner = AuthKey.generate();
    final String payee = "0x2222222222222222222222222222222222222222";
    final String set = ok(api.post("/v1/condition_sets", "{\"name\":\"payees\",\"owner\":{\"public_key\":\"" + owner.publicKey() + "\"}}"))
        .path("id").asText();
    ok(api.signed("POST", "/v1/condition_sets/" + set + "/condition_set_items", "[{\"value\":\"" + payee + "\"}]", owner));
    final String policy = ok(api.post("/v1/policies", "{\"version\":\"1.0\",\"name\":\"payees only\",\"chain_type\":\"ethereum\",\"rules\":["
        + "{\"name\":\"to a payee\",\"method\":\"eth_signTransaction\",\"action\":\"ALLOW\",\"conditions\":["
        + "{\"field_source\":\"ethereum_transaction\",\"field\":\"to\",\"operator\":\"in_condition_set\",\"value\":\"" + set + "\"}]}]}"))
        .path("id").asText();
    final String wallet = ok(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"policy_ids\":[\"" + policy + "\"]}")).path("id").asText();
    final String pay = "{\"method\":\"eth_signTransaction\",\"params\":{\"transaction\":{\"type\":2,\"chain_id\":1,\"nonce\":0,\"to\":\""
        + payee + "\",\"value\":\"0x1\",\"data\":\"0x\",\"gas_limit\":21000,\"max_fee_per_gas\":\"0x3b9aca00\",\"max_priority_fee_per_gas\":\"0x1\"}}}";
    ok(api.post(rpc(wallet), pay));
    final Map<String, AttributeValue> withPayee = table.item(api.appId(), "condition_set", set);
    final String itemId = ok(api.get("/v1/condition_sets/" + set + "/condition_set_items")).path("data").get(0).path("id").asText();
    ok(api.signed("DELETE", "/v1/condition_sets/" + set + "/condition_set_items/" + itemId, null, owner));
    assertThat(api.post(rpc(wallet), pay).code()).isEqualTo("policy_violation");

    table.put(withPayee);

    assertRefused(api.post(rpc(wallet), pay));
    assertRefused(api.get("/v1/condition_sets/" + set + "/condition_set_items"));
  }

  @Test
  void aUsersDeletedWalletPointerIsRefusedNotHidden() {
    final MandateHttp api = newApp();
    final String user = ok(api.post("/v1/users", "{\"linked_accounts\":[{\"type\":\"custom_auth\",\"custom_user_id\":\"u-"
        + UUID.randomUUID() + "\"}]}")).path("id").asText();
    ok(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"owner\":{\"user_id\":\"" + user + "\"}}"));
    // user_wallet pointers: ids <user id without did:privy:>.<wallet id>
    final String bare = user.substring(user.lastIndexOf(':') + 1);
    final Map<String, Map<String, AttributeValue>> pointers = table.ofKind(api.appId(), "user_wallet");
    pointers.keySet().removeIf(sk -> !sk.startsWith("user_wallet#" + bare + "."));
    assertThat(pointers).as("the user's wallet pointer").hasSize(1);

    pointers.keySet().forEach(sk -> table.delete(api.appId(), "user_wallet", sk.substring("user_wallet#".length())));

    assertRefused(api.get("/v1/users/" + user));
    assertRefused(api.get("/v1/wallets?user_id=" + user));
  }

  // ---- reads ----

  @Test
  void anEditedWalletAddressIsRefusedNotShown() {
    final MandateHttp api = newApp();
    final String user = ok(api.post("/v1/users", "{\"linked_accounts\":[{\"type\":\"custom_auth\",\"custom_user_id\":\"u-"
        + UUID.randomUUID() + "\"}]}")).path("id").asText();
    final JsonNode created = ok(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"owner\":{\"user_id\":\"" + user + "\"}}"));
    final String wallet = created.path("id").asText();
    final String evil = "0x000000000000000000000000000000000000dEaD";
    final Map<String, AttributeValue> genuine = table.editDoc(api.appId(), "wallet", wallet, doc -> doc.put("address", evil));

    for (final MandateHttp.Response r : List.of(api.get("/v1/wallets/" + wallet), api.get("/v1/wallets"),
        api.get("/v1/wallets?user_id=" + user), api.get("/v1/users/" + user))) {
      assertRefused(r);
      assertThat(r.raw()).doesNotContainIgnoringCase(evil);
    }
    table.put(genuine);
    assertThat(ok(api.get("/v1/wallets/" + wallet)).path("address").asText()).isEqualTo(created.path("address").asText());
  }

  @Test
  void aDeletedRecordWhoseAnchorLivesIsRefusedNotNotFound() {
    final MandateHttp api = newApp();
    final String wallet = ok(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\"}")).path("id").asText();
    final AuthKey key = AuthKey.generate();
    final String quorum = ok(api.post("/v1/key_quorums", "{\"public_keys\":[\"" + key.publicKey() + "\"]}")).path("id").asText();

    table.delete(api.appId(), "wallet", wallet);
    table.delete(api.appId(), "key_quorum", quorum);

    assertRefused(api.get("/v1/wallets/" + wallet));
    assertRefused(api.post(rpc(wallet), SIGN));
    assertRefused(api.get("/v1/wallets"));
    assertRefused(api.get("/v1/key_quorums/" + quorum));
  }

  @Test
  void aForgedBrandNewItemIsRefused() {
    final MandateHttp api = newApp();
    final String wallet = ok(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\"}")).path("id").asText();
    final Map<String, AttributeValue> copy = new HashMap<>(table.item(api.appId(), "wallet", wallet));
    final String forged = "forged" + UUID.randomUUID().toString().replace("-", "").substring(0, 18);
    copy.put("sk", AttributeValue.fromS("wallet#" + forged));
    copy.put("doc", AttributeValue.fromS(table.doc(copy).put("id", forged).toString()));

    table.put(copy);

    assertRefused(api.get("/v1/wallets/" + forged));
    assertRefused(api.post(rpc(forged), SIGN));
    assertRefused(api.get("/v1/wallets"));
    assertThat(ok(api.get("/v1/wallets/" + wallet)).path("id").asText()).isEqualTo(wallet);
  }

  // ---- a whole-table backup put back ----

  @Test
  void aWholeTableBackupPutBackIsRefusedForEveryChangedRecord() {
    final MandateHttp api = newApp();
    final AuthKey owner = AuthKey.generate();
    final AuthKey signer = AuthKey.generate();
    final AuthKey newKey = AuthKey.generate();
    final String signerQuorum = ok(api.post("/v1/key_quorums", "{\"public_keys\":[\"" + signer.publicKey() + "\"]}")).path("id").asText();
    final String wallet = ok(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"owner\":{\"public_key\":\"" + owner.publicKey()
        + "\"},\"additional_signers\":[{\"signer_id\":\"" + signerQuorum + "\"}]}")).path("id").asText();
    final String untouched = ok(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\"}")).path("id").asText();
    final Map<List<String>, Map<String, AttributeValue>> backup = table.scan();

    ok(api.signed("PATCH", "/v1/wallets/" + wallet, "{\"additional_signers\":[]}", owner));
    ok(api.signed("PATCH", "/v1/key_quorums/" + signerQuorum, "{\"public_keys\":[\"" + newKey.publicKey() + "\"]}", signer));
    final String later = ok(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\"}")).path("id").asText();
    final Map<List<String>, Map<String, AttributeValue>> current = table.scan();
    try {
      assertThat(table.restore(backup)).isNotEmpty();

      assertRefused(api.signed("POST", rpc(wallet), SIGN, signer));
      assertRefused(api.get("/v1/wallets/" + wallet));
      assertRefused(api.get("/v1/key_quorums/" + signerQuorum));
      assertRefused(api.get("/v1/wallets/" + later));
      assertRefused(api.get("/v1/wallets"));
      ok(api.post(rpc(untouched), SIGN));
    } finally {
      table.restore(current);
    }
    assertThat(api.signed("POST", rpc(wallet), SIGN, signer).status()).isIn(401, 403);
    assertThat(ok(api.get("/v1/wallets")).path("data")).hasSize(3);
  }
}
