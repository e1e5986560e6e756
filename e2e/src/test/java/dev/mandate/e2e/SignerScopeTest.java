package dev.mandate.e2e;

import static dev.mandate.e2e.MandateHttp.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A restricted signer with the app's help (docs/security.md): the app controls ownerless policies,
 * condition sets and aggregations. Once a wallet's owner has given a signer an override policy, the
 * app cannot widen that signer's scope by editing what the policy refers to; the owner's renewed
 * approval makes a change effective. Records the owner itself owns change with its signature only,
 * and keep working.
 */
class SignerScopeTest {
  private static final String MERCHANT = "0x000000000000000000000000000000000000a11c";
  private static final String ATTACKER = "0x000000000000000000000000000000000000bad1";

  @BeforeAll
  static void setUp() {
    Stack.get();
  }

  private static MandateHttp newApp() {
    return Stack.get().newApp("sc");
  }

  static String tx(final String to) {
    return "{\"method\":\"eth_signTransaction\",\"params\":{\"transaction\":{\"type\":2,\"chain_id\":1,\"nonce\":0,\"to\":\""
        + to + "\",\"value\":\"0x1\",\"gas_limit\":21000,\"max_fee_per_gas\":\"0x3b9aca00\",\"max_priority_fee_per_gas\":\"0x1\"}}}";
  }

  static String toRule(final String operator, final String value) {
    return "{\"name\":\"to\",\"method\":\"eth_signTransaction\",\"action\":\"ALLOW\",\"conditions\":[{\"field_source\":"
        + "\"ethereum_transaction\",\"field\":\"to\",\"operator\":\"" + operator + "\",\"value\":" + value + "}]}";
  }

  private record Setup(MandateHttp api, AuthKey owner, AuthKey signer, String wallet, String policy) {
    MandateHttp.Response signTo(final String to) {
      return api.signed("POST", "/v1/wallets/" + wallet + "/rpc", tx(to), signer);
    }

    /** The owner's renewed approval: remove the signer, then add it back (as server-auth would: no expiry, an idempotency key). */
    void approve() {
      final String signerQuorum = api.get("/v1/wallets/" + wallet).json().path("additional_signers").get(0).path("signer_id").asText();
      ok(api.signed("PATCH", "/v1/wallets/" + wallet, "{\"additional_signers\":[]}", java.util.List.of(owner),
          java.util.Map.of("privy-idempotency-key", UUID.randomUUID().toString())));
      ok(api.signed("PATCH", "/v1/wallets/" + wallet, "{\"additional_signers\":[{\"signer_id\":\"" + signerQuorum
          + "\",\"override_policy_ids\":[\"" + policy + "\"]}]}", java.util.List.of(owner),
          java.util.Map.of("privy-idempotency-key", UUID.randomUUID().toString())));
    }
  }

  /** A wallet owned by a P-256 key; a signer whose override (owned as {@code policyOwner} says) is added by the owner. */
  private static Setup setUp(final MandateHttp api, final String policyBody) {
    final AuthKey owner = AuthKey.generate();
    final AuthKey signer = AuthKey.generate();
    final String signerQuorum = ok(api.post("/v1/key_quorums", "{\"public_keys\":[\"" + signer.publicKey() + "\"]}")).path("id").asText();
    final String wallet = ok(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"owner\":{\"public_key\":\""
        + owner.publicKey() + "\"}}")).path("id").asText();
    final String policy = ok(api.post("/v1/policies", policyBody)).path("id").asText();
    ok(api.signed("PATCH", "/v1/wallets/" + wallet, "{\"additional_signers\":[{\"signer_id\":\"" + signerQuorum
        + "\",\"override_policy_ids\":[\"" + policy + "\"]}]}", owner));
    return new Setup(api, owner, signer, wallet, policy);
  }

  private static String policyBody(final String ownerClause, final String rules) {
    return "{\"version\":\"1.0\",\"name\":\"signer scope\",\"chain_type\":\"ethereum\"" + ownerClause + ",\"rules\":[" + rules + "]}";
  }

  private static void assertDenied(final MandateHttp.Response r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("policy_violation");
  }

  private static void assertDeniedAsChanged(final MandateHttp.Response r) {
    assertDenied(r);
    assertThat(r.raw()).contains("changed after the owner approved");
    assertThat(r.json().path("data").isMissingNode()).isTrue();
  }

  @Test
  void theAppRewritingTheSignersOwnerlessOverridePolicyDoesNotWidenIt() {
    final MandateHttp api = newApp();
    final Setup s = setUp(api, policyBody("", toRule("eq", "\"" + MERCHANT + "\"")));
    ok(s.signTo(MERCHANT));
    assertDenied(s.signTo(ATTACKER));

    ok(api.send("PATCH", "/v1/policies/" + s.policy(), "{\"rules\":[" + toRule("in", "[\"" + MERCHANT + "\",\"" + ATTACKER + "\"]")
        + "]}", java.util.Map.of()));

    assertDeniedAsChanged(s.signTo(ATTACKER));
    assertDeniedAsChanged(s.signTo(MERCHANT));
  }

  @Test
  void theAppAddingToAnOwnerlessConditionSetTheOwnersPolicyUsesDoesNotWidenTheSigner() {
    final MandateHttp api = newApp();
    final String set = ok(api.post("/v1/condition_sets", "{\"name\":\"merchants\"}")).path("id").asText();
    ok(api.post("/v1/condition_sets/" + set + "/condition_set_items", "[{\"value\":\"" + MERCHANT + "\"}]"));
    final AuthKey owner = AuthKey.generate();
    final Setup s = setUpOwnedPolicy(api, owner, toRule("in_condition_set", "\"" + set + "\""));
    ok(s.signTo(MERCHANT));
    assertDenied(s.signTo(ATTACKER));

    ok(api.post("/v1/condition_sets/" + set + "/condition_set_items", "[{\"value\":\"" + ATTACKER + "\"}]"));

    assertDeniedAsChanged(s.signTo(ATTACKER));
  }

  @Test
  void theOwnersRenewedApprovalMakesTheAppsChangeEffective() {
    final MandateHttp api = newApp();
    final Setup s = setUp(api, policyBody("", toRule("eq", "\"" + MERCHANT + "\"")));
    ok(api.send("PATCH", "/v1/policies/" + s.policy(), "{\"rules\":[" + toRule("eq", "\"" + ATTACKER + "\"") + "]}",
        java.util.Map.of()));
    assertDeniedAsChanged(s.signTo(ATTACKER));

    s.approve();

    ok(s.signTo(ATTACKER));
    assertDenied(s.signTo(MERCHANT));
  }

  @Test
  void aPolicyTheWalletOwnerOwnsMayChangeWithItsSignatureAndKeepsWorking() {
    final MandateHttp api = newApp();
    final AuthKey owner = AuthKey.generate();
    final Setup s = setUpOwnedPolicy(api, owner, toRule("eq", "\"" + MERCHANT + "\""));
    ok(s.signTo(MERCHANT));

    ok(api.signed("PATCH", "/v1/policies/" + s.policy(), "{\"rules\":[" + toRule("eq", "\"" + ATTACKER + "\"") + "]}", owner));

    ok(s.signTo(ATTACKER));
    assertDenied(s.signTo(MERCHANT));
  }

  @Test
  void aPolicyCreatedWithTheOwnersPublicKeyCountsAsTheOwnersAndMayChangeWithItsSignature() {
    final MandateHttp api = newApp();
    final AuthKey owner = AuthKey.generate();
    final AuthKey signer = AuthKey.generate();
    final String signerQuorum = ok(api.post("/v1/key_quorums", "{\"public_keys\":[\"" + signer.publicKey() + "\"]}")).path("id").asText();
    final String wallet = ok(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"owner\":{\"public_key\":\""
        + owner.publicKey() + "\"}}")).path("id").asText();
    // owner: {public_key} mints a one-key quorum of its own for the same key as the wallet's owner.
    final String policy = ok(api.post("/v1/policies", policyBody(",\"owner\":{\"public_key\":\"" + owner.publicKey() + "\"}",
        toRule("eq", "\"" + MERCHANT + "\"")))).path("id").asText();
    ok(api.signed("PATCH", "/v1/wallets/" + wallet, "{\"additional_signers\":[{\"signer_id\":\"" + signerQuorum
        + "\",\"override_policy_ids\":[\"" + policy + "\"]}]}", owner));
    final Setup s = new Setup(api, owner, signer, wallet, policy);
    ok(s.signTo(MERCHANT));

    ok(api.signed("PATCH", "/v1/policies/" + policy, "{\"rules\":[" + toRule("eq", "\"" + ATTACKER + "\"") + "]}", owner));

    ok(s.signTo(ATTACKER));
    assertDenied(s.signTo(MERCHANT));
  }

  @Test
  void anUnchangedOwnerlessOverrideKeepsWorkingAsOnPrivy() {
    final MandateHttp api = newApp();
    final Setup s = setUp(api, policyBody("", toRule("eq", "\"" + MERCHANT + "\"")));
    ok(s.signTo(MERCHANT));
    ok(api.post("/v1/condition_sets", "{\"name\":\"unrelated\"}"));
    ok(s.signTo(MERCHANT));
    assertThat(api.get("/v1/wallets/" + s.wallet()).raw()).doesNotContain("signer_pins");
  }

  /** The override policy owned by the wallet's owner key (the same quorum as the wallet's owner_id). */
  private static Setup setUpOwnedPolicy(final MandateHttp api, final AuthKey owner, final String rules) {
    final AuthKey signer = AuthKey.generate();
    final String signerQuorum = ok(api.post("/v1/key_quorums", "{\"public_keys\":[\"" + signer.publicKey() + "\"]}")).path("id").asText();
    final String ownerQuorum = ok(api.post("/v1/key_quorums", "{\"public_keys\":[\"" + owner.publicKey() + "\"]}")).path("id").asText();
    final String wallet = ok(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"owner_id\":\"" + ownerQuorum + "\"}")).path("id").asText();
    final String policy = ok(api.post("/v1/policies", policyBody(",\"owner_id\":\"" + ownerQuorum + "\"", rules))).path("id").asText();
    ok(api.signed("PATCH", "/v1/wallets/" + wallet, "{\"additional_signers\":[{\"signer_id\":\"" + signerQuorum
        + "\",\"override_policy_ids\":[\"" + policy + "\"]}]}", owner));
    return new Setup(api, owner, signer, wallet, policy);
  }
}
