package dev.mandate.e2e;

import static dev.mandate.e2e.MandateHttp.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * Attacks on the two fixes of issue 10 (signed changes carried out once, signer pins). The attacker is
 * a restricted signer with the app secret (the relay of docs/security.md), and for the table test the
 * table attacker (class 3). Each test is named for the secure behaviour; its comment gives the exploit.
 */
class SignerScopeAttackTest {
  private static final String MERCHANT = "0x000000000000000000000000000000000000a11c";
  private static final String ATTACKER = "0x000000000000000000000000000000000000bad1";
  private static final TableAttacker table = Stack.get().table();

  private static MandateHttp newApp() {
    return Stack.get().newApp("lf");
  }

  private static String tx(final String to) {
    return SignerScopeTest.tx(to);
  }

  private static String toRule(final String to) {
    return SignerScopeTest.toRule("eq", "\"" + to + "\"");
  }

  private static String quorum(final MandateHttp api, final AuthKey key) {
    return ok(api.post("/v1/key_quorums", "{\"public_keys\":[\"" + key.publicKey() + "\"]}")).path("id").asText();
  }

  private static void assertDenied(final MandateHttp.Response r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("policy_violation");
  }

  /** Owner-owned wallet; signer S1 restricted by an ownerless (app) policy allowing MERCHANT only. */
  private record Scoped(MandateHttp api, AuthKey owner, AuthKey signer, String signerQuorum, String wallet, String policy) {
    MandateHttp.Response signTo(final String to) {
      return api.signed("POST", "/v1/wallets/" + wallet + "/rpc", tx(to), signer);
    }

    String entry() {
      return "{\"signer_id\":\"" + signerQuorum + "\",\"override_policy_ids\":[\"" + policy + "\"]}";
    }
  }

  private static Scoped scoped() {
    final MandateHttp api = newApp();
    final AuthKey owner = AuthKey.generate();
    final AuthKey signer = AuthKey.generate();
    final String signerQuorum = quorum(api, signer);
    final String wallet = ok(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"owner\":{\"public_key\":\""
        + owner.publicKey() + "\"}}")).path("id").asText();
    final String policy = ok(api.post("/v1/policies", "{\"version\":\"1.0\",\"name\":\"s1\",\"chain_type\":\"ethereum\","
        + "\"rules\":[" + toRule(MERCHANT) + "]}")).path("id").asText();
    final Scoped s = new Scoped(api, owner, signer, signerQuorum, wallet, policy);
    ok(api.signed("PATCH", "/v1/wallets/" + wallet, "{\"additional_signers\":[" + s.entry() + "]}", owner));
    ok(s.signTo(MERCHANT));
    assertDenied(s.signTo(ATTACKER));
    return s;
  }

  /** The app (attacker) rewrites the ownerless override policy to allow its own address; the pin notices. */
  private static void appWidens(final Scoped s) {
    ok(s.api().send("PATCH", "/v1/policies/" + s.policy(), "{\"rules\":[" + toRule(ATTACKER) + "]}", Map.of()));
    assertDenied(s.signTo(ATTACKER));
  }

  /*
   * Exploit: the owner approved S1 under "MERCHANT only". The app widens S1's ownerless override to its
   * own address (S1 is now denied as "changed"). Later the owner adds a second, unrelated signer S2;
   * the SDK PATCH carries the whole additional_signers list, S1's entry unchanged. WalletActions.update
   * re-pins EVERY signer whenever additional_signers is present, so the owner's approval of S2 silently
   * re-approves the app's widened S1: the signer now signs to the attacker's address.
   */
  @Test
  void addingAnotherSignerDoesNotApproveWhatTheAppChangedInAnUnchangedSignersOverride() {
    final Scoped s = scoped();
    appWidens(s);

    final String second = quorum(s.api(), AuthKey.generate());
    ok(s.api().signed("PATCH", "/v1/wallets/" + s.wallet(), "{\"additional_signers\":[" + s.entry()
        + ",{\"signer_id\":\"" + second + "\"}]}", s.owner()));

    assertDenied(s.signTo(ATTACKER));
  }

  /*
   * Exploit: same widening, then the owner transfers the wallet (PATCH owner_id, signed by the old
   * owner). The owner change re-pins all signers as they are now, so the widened S1 is approved by a
   * transfer that said nothing about S1.
   */
  @Test
  void transferringTheWalletDoesNotApproveWhatTheAppChangedInASignersOverride() {
    final Scoped s = scoped();
    appWidens(s);

    final AuthKey next = AuthKey.generate();
    ok(s.api().signed("PATCH", "/v1/wallets/" + s.wallet(), "{\"owner\":{\"public_key\":\"" + next.publicKey() + "\"}}",
        s.owner()));

    assertDenied(s.signTo(ATTACKER));
  }

  /*
   * Exploit: the app hands its ownerless override P1 to the wallet owner's quorum (so the pin would skip
   * it) in the same PATCH that widens it. Refused if the pin notices P1 left the pinned set.
   */
  @Test
  void handingTheOverrideToTheWalletOwnerWhileWideningItDoesNotWidenTheSigner() {
    final Scoped s = scoped();
    final String ownerQuorum = ok(s.api().get("/v1/wallets/" + s.wallet())).path("owner_id").asText();
    final MandateHttp.Response handed = s.api().send("PATCH", "/v1/policies/" + s.policy(), "{\"owner_id\":\"" + ownerQuorum
        + "\",\"rules\":[" + toRule(ATTACKER) + "]}", Map.of());
    assertThat(handed.status()).as(handed.toString()).isIn(200, 400, 401, 403);

    assertDenied(s.signTo(ATTACKER));
  }

  /*
   * Exploit: the owner's own override caps the signer through an ownerless aggregation that counts only
   * payments to the addresses of an ownerless condition set. The app removes the attacker's address
   * from that set: its payments stop counting, the cap no longer binds. The pin must follow the
   * aggregation to its condition set (and the loader must load it at approval, or the signer is denied
   * from the start).
   */
  @Test
  void theAppShrinkingTheConditionSetOfACapsAggregationDoesNotLiftTheCap() {
    final MandateHttp api = newApp();
    final AuthKey owner = AuthKey.generate();
    final AuthKey signer = AuthKey.generate();
    final String signerQuorum = quorum(api, signer);
    final String ownerQuorum = quorum(api, owner);
    final String wallet = ok(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"owner_id\":\"" + ownerQuorum + "\"}"))
        .path("id").asText();
    final String payees = ok(api.post("/v1/condition_sets", "{\"name\":\"counted\"}")).path("id").asText();
    ok(api.post("/v1/condition_sets/" + payees + "/condition_set_items", "[{\"value\":\"" + ATTACKER + "\"}]"));
    final String aggregation = ok(api.post("/v1/aggregations", "{\"name\":\"daily value\",\"method\":\"eth_signTransaction\","
        + "\"metric\":{\"field_source\":\"ethereum_transaction\",\"field\":\"value\",\"function\":\"sum\"},"
        + "\"window\":{\"type\":\"rolling\",\"seconds\":86400},\"conditions\":[{\"field_source\":\"ethereum_transaction\","
        + "\"field\":\"to\",\"operator\":\"in_condition_set\",\"value\":\"" + payees + "\"}]}")).path("id").asText();
    final String policy = ok(api.post("/v1/policies", "{\"version\":\"1.0\",\"name\":\"capped\",\"chain_type\":\"ethereum\","
        + "\"owner_id\":\"" + ownerQuorum + "\",\"rules\":[{\"name\":\"cap\",\"method\":\"eth_signTransaction\",\"action\":\"ALLOW\","
        + "\"conditions\":[{\"field_source\":\"reference\",\"field\":\"aggregation." + aggregation
        + "\",\"operator\":\"lte\",\"value\":\"1\"}]}]}")).path("id").asText();
    final Scoped s = new Scoped(api, owner, signer, signerQuorum, wallet, policy);
    ok(api.signed("PATCH", "/v1/wallets/" + wallet, "{\"additional_signers\":[" + s.entry() + "]}", owner));
    ok(s.signTo(ATTACKER));
    assertDenied(s.signTo(ATTACKER));

    ok(api.send("PUT", "/v1/condition_sets/" + payees + "/condition_set_items", "[{\"value\":\"" + MERCHANT + "\"}]", Map.of()));

    assertDenied(s.signTo(ATTACKER));
  }

  /*
   * Not a bypass: the two fixes conflict. docs/security.md says the owner re-approves a changed scope
   * by "PATCH additional_signers, same value". Signed without an expiry (server-auth never sends one),
   * that PATCH has the same payload as the first approval, whose claim lives for ever: 409
   * authorization_signature_used, and the signer stays locked out.
   */
  @Test
  void theOwnerReapprovesByRemovingAndReAddingTheSignerEvenWithoutAnExpiry() {
    final Scoped s = scoped();
    appWidens(s);
    assertDenied(s.signTo(ATTACKER));

    ok(s.api().signed("PATCH", "/v1/wallets/" + s.wallet(), "{\"additional_signers\":[]}", java.util.List.of(s.owner()),
        Map.of("privy-idempotency-key", "remove-" + java.util.UUID.randomUUID())));
    ok(s.api().signed("PATCH", "/v1/wallets/" + s.wallet(), "{\"additional_signers\":[" + s.entry() + "]}",
        java.util.List.of(s.owner()), Map.of("privy-idempotency-key", "re-add-" + java.util.UUID.randomUUID())));

    ok(s.signTo(ATTACKER));
  }

  /*
   * Exploit: replay the owner's kept PATCH re-spelled: a query string on the URL and the body re-spaced
   * and re-ordered (the signature still verifies, the payload is the same). Refused if the claim is
   * keyed by the canonical payload.
   */
  @Test
  void aReSpelledReplayOfASignedChangeIsRefusedToo() {
    final Scoped s = scoped();
    final String path = "/v1/wallets/" + s.wallet();
    final String add = "{\"additional_signers\":[" + s.entry() + "]}";
    final Map<String, String> signed = new LinkedHashMap<>();
    signed.put("privy-app-id", s.api().appId());
    final String extra = quorum(s.api(), AuthKey.generate());
    final String both = "{\"additional_signers\":[" + s.entry() + ",{\"signer_id\":\"" + extra + "\"}]}";
    final Map<String, String> kept = Map.of("privy-authorization-signature", s.owner().sign("PATCH", s.api().baseUrl() + path, both, signed));
    ok(s.api().send("PATCH", path, both, kept));
    ok(s.api().signed("PATCH", path, add, java.util.List.of(s.owner()),
        Map.of("privy-request-expiry", Long.toString(System.currentTimeMillis() + 900_000))));

    final String respaced = "{ \"additional_signers\" : [ {\"override_policy_ids\":[\"" + s.policy() + "\"], \"signer_id\":\""
        + s.signerQuorum() + "\"} , {\"signer_id\":\"" + extra + "\"} ] }";
    final MandateHttp.Response replay = s.api().send("PATCH", path + "?again=1", respaced, kept);

    assertThat(replay.status()).as(replay.toString()).isEqualTo(409);
    assertThat(replay.code()).isEqualTo("authorization_signature_used");
    assertThat(s.api().get(path).raw()).doesNotContain(extra);
  }

  /*
   * Exploit: the owner's signed personal_sign with an idempotency key is stored; the restricted signer
   * (a valid signer of the wallet, but not the owner) sends the same key and body with its own
   * signature to read the owner's stored answer.
   */
  @Test
  void aSignerDoesNotGetTheOwnersStoredIdempotentAnswer() {
    final Scoped s = scoped();
    final String rpc = "/v1/wallets/" + s.wallet() + "/rpc";
    final String sign = "{\"method\":\"personal_sign\",\"params\":{\"message\":\"owner only\",\"encoding\":\"utf-8\"}}";
    final Map<String, String> key = Map.of("privy-idempotency-key", "k-" + UUID.randomUUID());
    final String signature = ok(s.api().signed("POST", rpc, sign, java.util.List.of(s.owner()), key)).path("data").path("signature").asText();

    final MandateHttp.Response bySigner = s.api().signed("POST", rpc, sign, java.util.List.of(s.signer()), key);

    assertThat(bySigner.status()).as(bySigner.toString()).isEqualTo(400);
    assertThat(bySigner.raw()).doesNotContain(signature.substring(2, 40));
  }

  /*
   * Exploit (class 3): delete the signed_change claim from the main table, then replay the owner's
   * PATCH that added a signer the owner has since removed. The anchor must keep the claim alive.
   */
  @Test
  void deletingTheSignedChangeClaimFromTheTableDoesNotLetTheReplayThrough() {
    final MandateHttp api = newApp();
    final AuthKey owner = AuthKey.generate();
    final AuthKey signer = AuthKey.generate();
    final String signerQuorum = quorum(api, signer);
    final String wallet = ok(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"owner\":{\"public_key\":\""
        + owner.publicKey() + "\"}}")).path("id").asText();
    final String path = "/v1/wallets/" + wallet;
    final String add = "{\"additional_signers\":[{\"signer_id\":\"" + signerQuorum + "\"}]}";
    final Map<String, String> signed = new LinkedHashMap<>();
    signed.put("privy-app-id", api.appId());
    final Map<String, String> kept = Map.of("privy-authorization-signature", owner.sign("PATCH", api.baseUrl() + path, add, signed));
    ok(api.send("PATCH", path, add, kept));
    ok(api.signed("PATCH", path, "{\"additional_signers\":[]}", owner));
    final var claims = table.ofKind(api.appId(), "signed_change");
    assertThat(claims).hasSize(2);
    claims.keySet().forEach(sk -> table.delete(api.appId(), "signed_change", sk.substring("signed_change#".length())));

    final MandateHttp.Response replay = api.send("PATCH", path, add, kept);

    assertThat(replay.status()).as(replay.toString()).isGreaterThanOrEqualTo(400);
    assertThat(api.signed("POST", path + "/rpc", "{\"method\":\"personal_sign\",\"params\":{\"message\":\"x\",\"encoding\":\"utf-8\"}}",
        signer).status()).isIn(401, 403);
  }
}
