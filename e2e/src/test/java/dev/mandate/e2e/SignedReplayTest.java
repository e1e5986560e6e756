package dev.mandate.e2e;

import static dev.mandate.e2e.MandateHttp.ok;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The relay of docs/security.md keeps every owner-signed request it forwarded. A signed change is
 * carried out once: re-sending it after the owner undid it changes nothing (409
 * {@code authorization_signature_used}). And the idempotency cache answers only the request that was
 * authorized, and cannot be poisoned by a refused one.
 */
class SignedReplayTest {
  private static final String SIGN = "{\"method\":\"personal_sign\",\"params\":{\"message\":\"replay\",\"encoding\":\"utf-8\"}}";

  @BeforeAll
  static void setUp() {
    Stack.get();
  }

  private static MandateHttp newApp() {
    return Stack.get().newApp("rp");
  }

  /** The headers an SDK sends for a signed request, as a relay would keep them. */
  private static Map<String, String> signedHeaders(final MandateHttp api, final String method, final String path,
      final String body, final AuthKey key, final Map<String, String> privy) {
    final Map<String, String> signed = new LinkedHashMap<>(privy);
    signed.put("privy-app-id", api.appId());
    final Map<String, String> headers = new LinkedHashMap<>(privy);
    headers.put("privy-authorization-signature", key.sign(method, api.baseUrl() + path, body, signed));
    return headers;
  }

  private static Map<String, String> expiry() {
    return Map.of("privy-request-expiry", Long.toString(System.currentTimeMillis() + 15 * 60_000));
  }

  private static void assertReplayRefused(final MandateHttp.Response r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(409);
    assertThat(r.code()).isEqualTo("authorization_signature_used");
  }

  private record Owned(MandateHttp api, AuthKey owner, AuthKey signer, String signerQuorum, String wallet) {}

  private static Owned ownedWallet() {
    final MandateHttp api = newApp();
    final AuthKey owner = AuthKey.generate();
    final AuthKey signer = AuthKey.generate();
    final String signerQuorum = ok(api.post("/v1/key_quorums", "{\"public_keys\":[\"" + signer.publicKey() + "\"]}")).path("id").asText();
    final String wallet = ok(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"owner\":{\"public_key\":\""
        + owner.publicKey() + "\"}}")).path("id").asText();
    return new Owned(api, owner, signer, signerQuorum, wallet);
  }

  @Test
  void aSignerTheOwnerRemovedIsNotBroughtBackByReplayingTheSignedPatchThatAddedIt() {
    final Owned o = ownedWallet();
    final String path = "/v1/wallets/" + o.wallet();
    final String add = "{\"additional_signers\":[{\"signer_id\":\"" + o.signerQuorum() + "\"}]}";
    final Map<String, String> kept = signedHeaders(o.api(), "PATCH", path, add, o.owner(), Map.of());
    ok(o.api().send("PATCH", path, add, kept));
    ok(o.api().signed("POST", path + "/rpc", SIGN, o.signer()));
    ok(o.api().signed("PATCH", path, "{\"additional_signers\":[]}", o.owner()));

    assertReplayRefused(o.api().send("PATCH", path, add, kept));

    assertThat(o.api().get(path).json().path("additional_signers")).isEmpty();
    assertThat(o.api().signed("POST", path + "/rpc", SIGN, o.signer()).status()).isIn(401, 403);
  }

  @Test
  void aReplayWithinTheSignaturesExpiryIsRefusedToo() {
    final Owned o = ownedWallet();
    final String path = "/v1/wallets/" + o.wallet();
    final String add = "{\"additional_signers\":[{\"signer_id\":\"" + o.signerQuorum() + "\"}]}";
    final Map<String, String> kept = signedHeaders(o.api(), "PATCH", path, add, o.owner(), expiry());
    ok(o.api().send("PATCH", path, add, kept));
    ok(o.api().signed("PATCH", path, "{\"additional_signers\":[]}", java.util.List.of(o.owner()), expiry()));

    assertReplayRefused(o.api().send("PATCH", path, add, kept));
    assertThat(o.api().get(path).json().path("additional_signers")).isEmpty();
  }

  @Test
  void aPolicyRuleTheOwnerTightenedIsNotLoosenedAgainByReplay() {
    final MandateHttp api = newApp();
    final AuthKey owner = AuthKey.generate();
    final String policy = ok(api.post("/v1/policies", "{\"version\":\"1.0\",\"name\":\"p\",\"chain_type\":\"ethereum\","
        + "\"owner\":{\"public_key\":\"" + owner.publicKey() + "\"},\"rules\":[]}")).path("id").asText();
    final String wallet = ok(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"policy_ids\":[\"" + policy + "\"]}"))
        .path("id").asText();
    final String path = "/v1/policies/" + policy;
    final String loose = "{\"rules\":[{\"name\":\"messages\",\"method\":\"personal_sign\",\"action\":\"ALLOW\",\"conditions\":[]}]}";
    final Map<String, String> kept = signedHeaders(api, "PATCH", path, loose, owner, Map.of());
    ok(api.send("PATCH", path, loose, kept));
    ok(api.post("/v1/wallets/" + wallet + "/rpc", SIGN));
    ok(api.signed("PATCH", path, "{\"rules\":[]}", owner));

    assertReplayRefused(api.send("PATCH", path, loose, kept));
    assertThat(api.post("/v1/wallets/" + wallet + "/rpc", SIGN).code()).isEqualTo("policy_violation");
  }

  @Test
  void aConditionSetsItemsTheOwnerReplacedAreNotPutBackByReplay() {
    final MandateHttp api = newApp();
    final AuthKey owner = AuthKey.generate();
    final String set = ok(api.post("/v1/condition_sets", "{\"name\":\"payees\",\"owner\":{\"public_key\":\""
        + owner.publicKey() + "\"}}")).path("id").asText();
    final String items = "/v1/condition_sets/" + set + "/condition_set_items";
    final String attacker = "[{\"value\":\"0x000000000000000000000000000000000000bad1\"}]";
    final Map<String, String> kept = signedHeaders(api, "PUT", items, attacker, owner, Map.of());
    ok(api.send("PUT", items, attacker, kept));
    ok(api.signed("PUT", items, "[{\"value\":\"0x000000000000000000000000000000000000a11c\"}]", owner));

    assertReplayRefused(api.send("PUT", items, attacker, kept));
    assertThat(ok(api.get(items)).toString()).doesNotContain("bad1").contains("a11c");
  }

  @Test
  void aKeyTheQuorumRemovedIsNotAddedBackByReplay() {
    final MandateHttp api = newApp();
    final AuthKey first = AuthKey.generate();
    final AuthKey stolen = AuthKey.generate();
    final String quorum = ok(api.post("/v1/key_quorums", "{\"public_keys\":[\"" + first.publicKey() + "\"]}")).path("id").asText();
    final String wallet = ok(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"owner_id\":\"" + quorum + "\"}")).path("id").asText();
    final String path = "/v1/key_quorums/" + quorum;
    final String both = "{\"public_keys\":[\"" + first.publicKey() + "\",\"" + stolen.publicKey() + "\"],\"authorization_threshold\":1}";
    final Map<String, String> kept = signedHeaders(api, "PATCH", path, both, first, Map.of());
    ok(api.send("PATCH", path, both, kept));
    ok(api.signed("PATCH", path, "{\"public_keys\":[\"" + first.publicKey() + "\"],\"authorization_threshold\":1}", first));
    assertThat(api.signed("POST", "/v1/wallets/" + wallet + "/rpc", SIGN, stolen).status()).isIn(401, 403);

    assertReplayRefused(api.send("PATCH", path, both, kept));
    assertThat(api.signed("POST", "/v1/wallets/" + wallet + "/rpc", SIGN, stolen).status()).isIn(401, 403);
  }

  @Test
  void theSameChangeSignedAgainIsCarriedOutAgain() {
    final Owned o = ownedWallet();
    final String path = "/v1/wallets/" + o.wallet();
    final String add = "{\"additional_signers\":[{\"signer_id\":\"" + o.signerQuorum() + "\"}]}";
    ok(o.api().signed("PATCH", path, add, java.util.List.of(o.owner()), expiry()));
    ok(o.api().signed("PATCH", path, "{\"additional_signers\":[]}", java.util.List.of(o.owner()), expiry()));
    ok(o.api().signed("PATCH", path, add, java.util.List.of(o.owner()),
        Map.of("privy-request-expiry", Long.toString(System.currentTimeMillis() + 16 * 60_000))));
    ok(o.api().signed("POST", path + "/rpc", SIGN, o.signer()));
  }

  // ---- idempotency ----

  @Test
  void anIdempotentReplayWithoutTheOwnersSignatureDoesNotGetTheStoredSignature() {
    final Owned o = ownedWallet();
    final String rpc = "/v1/wallets/" + o.wallet() + "/rpc";
    final Map<String, String> key = Map.of("privy-idempotency-key", "k-" + UUID.randomUUID());
    final String signature = ok(o.api().send("POST", rpc, SIGN, signedHeaders(o.api(), "POST", rpc, SIGN, o.owner(), key)))
        .path("data").path("signature").asText();
    assertThat(signature).startsWith("0x");

    final MandateHttp.Response unsigned = o.api().send("POST", rpc, SIGN, key);

    assertThat(unsigned.status()).as(unsigned.toString()).isBetween(400, 499);
    assertThat(unsigned.raw()).doesNotContain(signature.substring(2, 40));
  }

  @Test
  void aRequestRefusedForItsSignatureDoesNotPoisonTheIdempotencyKeyOfTheGenuineOne() {
    final Owned o = ownedWallet();
    final String rpc = "/v1/wallets/" + o.wallet() + "/rpc";
    final Map<String, String> key = Map.of("privy-idempotency-key", "k-" + UUID.randomUUID());
    final MandateHttp.Response forged = o.api().send("POST", rpc, SIGN, signedHeaders(o.api(), "POST", rpc, SIGN, AuthKey.generate(), key));
    assertThat(forged.status()).as(forged.toString()).isIn(401, 403);

    final Map<String, String> genuine = signedHeaders(o.api(), "POST", rpc, SIGN, o.owner(), key);
    final String signature = ok(o.api().send("POST", rpc, SIGN, genuine)).path("data").path("signature").asText();
    // The SDK's retry of the genuine request (identical headers) gets the stored answer.
    assertThat(ok(o.api().send("POST", rpc, SIGN, genuine)).path("data").path("signature").asText()).isEqualTo(signature);
  }
}
