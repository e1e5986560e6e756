package dev.mandate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mandate.Mandate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The attack suite over HTTP: every way of presenting the wrong authorization is refused with
 * Privy's status and error, and the wallet is unchanged afterwards.
 */
class AuthorizationAttackTest {
  private static final String SIGN_BODY =
      "{\"method\":\"personal_sign\",\"params\":{\"message\":\"attack\",\"encoding\":\"utf-8\"},\"chain_type\":\"ethereum\"}";

  private static MandateHttp api;
  private static AuthKey owner;
  private static AuthKey stranger;
  private static String wallet;
  private static String otherWallet;
  private static AuthKey b;
  private static AuthKey c;
  private static String twoOfTwoWallet;

  @BeforeAll
  static void setUp() {
    api = Stack.get().client();
    owner = AuthKey.generate();
    stranger = AuthKey.generate();
    wallet = createOwnedBy("{\"public_key\":\"" + owner.publicKey() + "\"}");
    otherWallet = createOwnedBy("{\"public_key\":\"" + owner.publicKey() + "\"}");
    b = AuthKey.generate();
    c = AuthKey.generate();
    final MandateHttp.Response quorum = api.post("/v1/key_quorums",
        "{\"public_keys\":[\"" + b.publicKey() + "\",\"" + c.publicKey() + "\"],\"authorization_threshold\":2}");
    assertThat(quorum.status()).as(quorum.toString()).isEqualTo(200);
    final MandateHttp.Response w = api.post("/v1/wallets",
        "{\"chain_type\":\"ethereum\",\"owner_id\":\"" + quorum.json().path("id").asText() + "\"}");
    assertThat(w.status()).as(w.toString()).isEqualTo(200);
    twoOfTwoWallet = w.json().path("id").asText();
  }

  private static String createOwnedBy(final String ownerJson) {
    final MandateHttp.Response created = api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"owner\":" + ownerJson + "}");
    assertThat(created.status()).as(created.toString()).isEqualTo(200);
    assertThat(created.json().path("owner_id").asText()).isNotBlank();
    assertThat(created.raw()).doesNotContain(owner.publicKey());
    return created.json().path("id").asText();
  }

  private static String rpc(final String walletId) {
    return "/v1/wallets/" + walletId + "/rpc";
  }

  @Test
  void theOwnersSignatureSigns() {
    final MandateHttp.Response ok = api.signed("POST", rpc(wallet), SIGN_BODY, owner);
    assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
    assertThat(ok.json().path("data").path("signature").asText()).startsWith("0x").hasSize(132);
  }

  @Test
  void theSameRequestUnderApiPrefixSignsToo() {
    final MandateHttp.Response ok = api.signed("POST", "/api" + rpc(wallet), SIGN_BODY, owner);
    assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
  }

  @Test
  void noSignatureIsRefused() {
    assertRefused(api.post(rpc(wallet), SIGN_BODY), 401, "missing_or_empty_authorization_header",
        "Missing `privy-authorization-signature` header");
    assertRefused(api.send("POST", rpc(wallet), SIGN_BODY, Map.of("privy-authorization-signature", "")), 401,
        "missing_or_empty_authorization_header", "Missing");
  }

  @Test
  void theWrongKeyIsRefused() {
    assertRefused(api.signed("POST", rpc(wallet), SIGN_BODY, stranger), 401, "zero_correct_authorization_signatures",
        "No valid authorization signatures were provided");
  }

  @Test
  void theRightKeyOverAnotherUrlBodyMethodOrAppIsRefused() {
    final Map<String, String> appHeader = Map.of("privy-app-id", Stack.APP_ID);
    final String base = api.baseUrl();
    final String otherUrl = owner.sign("POST", base + rpc(otherWallet), SIGN_BODY, appHeader);
    final String otherBody = owner.sign("POST", base + rpc(wallet), SIGN_BODY.replace("attack", "other"), appHeader);
    final String otherMethod = owner.sign("PATCH", base + rpc(wallet), SIGN_BODY, appHeader);
    final String otherApp = owner.sign("POST", base + rpc(wallet), SIGN_BODY, Map.of("privy-app-id", "anotherapp00000000000000"));
    final String otherHost = owner.sign("POST", "https://api.privy.io" + rpc(wallet), SIGN_BODY, appHeader);
    for (final String signature : List.of(otherUrl, otherBody, otherMethod, otherApp, otherHost)) {
      assertRefused(api.send("POST", rpc(wallet), SIGN_BODY, Map.of("privy-authorization-signature", signature)), 401,
          "zero_correct_authorization_signatures", "No valid authorization signatures");
    }
  }

  @Test
  void aSignatureDoesNotCoverAnUnsignedExpiryOrIdempotencyKey() {
    final String signature = owner.sign("POST", api.baseUrl() + rpc(wallet), SIGN_BODY, Map.of("privy-app-id", Stack.APP_ID));
    final MandateHttp.Response withExpiry = api.send("POST", rpc(wallet), SIGN_BODY, Map.of(
        "privy-authorization-signature", signature,
        "privy-request-expiry", String.valueOf(System.currentTimeMillis() + 60_000)));
    assertRefused(withExpiry, 401, "zero_correct_authorization_signatures", "No valid");
  }

  @Test
  void oneSignatureForATwoOfTwoQuorumIsRefusedAndTwoSign() {
    assertRefused(api.signed("POST", rpc(twoOfTwoWallet), SIGN_BODY, b), 401,
        "insufficient_correct_authorization_signatures", "does not match the wallet's authorization threshold");
    assertRefused(api.signed("POST", rpc(twoOfTwoWallet), SIGN_BODY, b, b), 401,
        "insufficient_correct_authorization_signatures", "threshold");
    final MandateHttp.Response both = api.signed("POST", rpc(twoOfTwoWallet), SIGN_BODY, b, c);
    assertThat(both.status()).as(both.toString()).isEqualTo(200);
  }

  @Test
  void anExpiredRequestIsRefusedEvenWhenSigned() {
    final Map<String, String> expired = Map.of("privy-request-expiry", String.valueOf(System.currentTimeMillis() - 1_000));
    final MandateHttp.Response response = api.signed("POST", rpc(wallet), SIGN_BODY, List.of(owner), expired);
    assertRefused(response, 400, "request_expired", "expired");
    final Map<String, String> fresh = Map.of("privy-request-expiry", String.valueOf(System.currentTimeMillis() + 60_000));
    assertThat(api.signed("POST", rpc(wallet), SIGN_BODY, List.of(owner), fresh).status()).isEqualTo(200);
    final Map<String, String> far = Map.of("privy-request-expiry", String.valueOf(System.currentTimeMillis() + 80L * 3600_000));
    assertRefused(api.signed("POST", rpc(wallet), SIGN_BODY, List.of(owner), far), 400, "invalid_data", "72 hours");
  }

  @Test
  void anIdempotencyKeyReplayedWithAnotherBodyIsRefusedAndTheSameBodyReplays() {
    final Map<String, String> key = Map.of("privy-idempotency-key", "attack-" + System.nanoTime());
    final MandateHttp.Response first = api.signed("POST", rpc(wallet), SIGN_BODY, List.of(owner), key);
    final MandateHttp.Response replay = api.signed("POST", rpc(wallet), SIGN_BODY, List.of(owner), key);
    assertThat(first.status()).isEqualTo(200);
    assertThat(replay.raw()).isEqualTo(first.raw());
    final String other = SIGN_BODY.replace("attack", "changed");
    assertRefused(api.signed("POST", rpc(wallet), other, List.of(owner), key), 400, "invalid_data",
        "Idempotency key was reused for a request with a new body");
  }

  @Test
  void anotherAppCannotSeeOrUseTheWallet() {
    Mandate.instance().apps().ensureApp("otherapp0000000000000001", "privy_app_secret_other_app");
    final MandateHttp other = api.withCredentials("otherapp0000000000000001", "privy_app_secret_other_app");
    assertThat(other.get("/v1/wallets/" + wallet).status()).isEqualTo(404);
    final MandateHttp.Response response = other.signed("POST", rpc(wallet), SIGN_BODY, owner);
    assertThat(response.status()).isEqualTo(404);
    assertThat(other.signed("PATCH", "/v1/wallets/" + wallet, "{\"owner\":null}", owner).status()).isEqualTo(404);
  }

  @Test
  void onlyTheOwnerMayChangeTheWallet() {
    final JsonNode before = api.get("/v1/wallets/" + wallet).json();
    final AuthKey attacker = AuthKey.generate();
    final String takeover = "{\"owner\":{\"public_key\":\"" + attacker.publicKey() + "\"}}";
    assertRefused(api.send("PATCH", "/v1/wallets/" + wallet, takeover, Map.of()), 401,
        "missing_or_empty_authorization_header", "Missing");
    assertRefused(api.signed("PATCH", "/v1/wallets/" + wallet, takeover, attacker), 401,
        "zero_correct_authorization_signatures", "No valid");
    assertRefused(api.signed("PATCH", "/v1/wallets/" + wallet, "{\"owner\":null}", stranger), 401,
        "zero_correct_authorization_signatures", "No valid");
    assertThat(api.get("/v1/wallets/" + wallet).json()).isEqualTo(before);
  }

  @Test
  void theOwnerChangesOwnerAndTheOldOwnerLosesControl() {
    final String w = createOwnedBy("{\"public_key\":\"" + owner.publicKey() + "\"}");
    final AuthKey next = AuthKey.generate();
    final MandateHttp.Response changed = api.signed("PATCH", "/v1/wallets/" + w,
        "{\"owner\":{\"public_key\":\"" + next.publicKey() + "\"},\"display_name\":\"moved\"}", owner);
    assertThat(changed.status()).as(changed.toString()).isEqualTo(200);
    assertThat(changed.json().path("display_name").asText()).isEqualTo("moved");
    assertThat(api.signed("POST", rpc(w), SIGN_BODY, owner).status()).isEqualTo(401);
    assertThat(api.signed("POST", rpc(w), SIGN_BODY, next).status()).isEqualTo(200);
    final MandateHttp.Response released = api.signed("PATCH", "/v1/wallets/" + w, "{\"owner_id\":null}", next);
    assertThat(released.status()).as(released.toString()).isEqualTo(200);
    assertThat(released.json().path("owner_id").isNull()).isTrue();
    assertThat(api.post(rpc(w), SIGN_BODY).status()).isEqualTo(200);
  }

  @Test
  void aQuorumChangesOnlyWithItsCurrentThreshold() {
    final AuthKey k1 = AuthKey.generate();
    final AuthKey k2 = AuthKey.generate();
    final MandateHttp.Response quorum = api.post("/v1/key_quorums",
        "{\"public_keys\":[\"" + k1.publicKey() + "\",\"" + k2.publicKey() + "\"],\"display_name\":\"pair\"}");
    assertThat(quorum.json().path("authorization_threshold").isNull()).isTrue();
    final String path = "/v1/key_quorums/" + quorum.json().path("id").asText();
    final String loosen = "{\"authorization_threshold\":1}";
    assertRefused(api.signed("PATCH", path, loosen, k1), 401, "insufficient_correct_authorization_signatures", "threshold");
    final MandateHttp.Response loosened = api.signed("PATCH", path, loosen, k1, k2);
    assertThat(loosened.status()).as(loosened.toString()).isEqualTo(200);
    assertThat(loosened.json().path("authorization_threshold").asInt()).isEqualTo(1);
    assertRefused(api.send("DELETE", path, null, Map.of()), 401, "missing_or_empty_authorization_header", "Missing");
    final MandateHttp.Response deleted = api.signed("DELETE", path, null, k2);
    assertThat(deleted.status()).as(deleted.toString()).isEqualTo(200);
    assertThat(deleted.json().path("success").asBoolean()).isTrue();
    assertThat(api.get(path).status()).isEqualTo(404);
  }

  static void assertRefused(final MandateHttp.Response response, final int status, final String code, final String message) {
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    assertThat(response.code()).as(response.toString()).isEqualTo(code);
    assertThat(response.error()).as(response.toString()).contains(message);
  }
}
