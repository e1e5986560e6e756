package dev.mandate.e2e;

import static dev.mandate.e2e.MandateHttp.ok;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.JWTClaimsSet;
import dev.mandate.enclave.authorization.AuthorizationPayload;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Authenticated signers over HTTP: a user's JWT (from a loopback JWKS, {@link JwtIssuer}) becomes a
 * one-time key ({@code POST /v1/signer/authenticate}) or a reusable HPKE-sealed session key
 * ({@code POST /v1/wallets/authenticate}); those keys make the user a member of quorums; bad tokens
 * and other users' keys are refused and change nothing.
 *
 * <p>Not covered: an expired session key ({@code user_session_keys_expired}). Keys live 15 min
 * (one-time: 5 min) and the TTLs are read once at startup from {@code MANDATE_SESSION_KEY_TTL_SECONDS}
 * / {@code MANDATE_ONE_TIME_KEY_TTL_SECONDS}; the shared {@link Stack} is not restarted for it.
 */
class SessionKeyTest {
  private static final String MESSAGE = "{\"method\":\"personal_sign\",\"params\":{\"message\":\"hello\",\"encoding\":\"utf-8\"}}";
  /** SPKI DER header of an uncompressed P-256 point (id-ecPublicKey, prime256v1). */
  private static final byte[] P256_SPKI_PREFIX = HexFormat.of().parseHex("3059301306072a8648ce3d020106082a8648ce3d030107034200");

  private static MandateHttp api;
  private static JwtIssuer issuer;

  @BeforeAll
  static void start() {
    api = Stack.get().client();
    issuer = JwtIssuer.start();
  }

  @AfterAll
  static void stop() {
    issuer.close();
  }

  /** The app's JWT settings are shared with other suites: point them at this issuer before each test. */
  @BeforeEach
  void configure() {
    final MandateHttp.Response r = api.send("PUT", "/v1/jwt_settings", issuer.settingsJson(), Map.of());
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().path("jwks_url").asText()).isEqualTo(issuer.jwksUrl());
  }

  @Test
  void aOneTimeKeyFromABearerJwtSignsOnceOnTheReturnedWallet() {
    final String sub = "sub-" + UUID.randomUUID();
    final String jwt = issuer.token(sub);
    // No app secret: the Bearer JWT and privy-app-id authenticate the call.
    final MandateHttp.Response r = bearer("/v1/signer/authenticate", jwt, api.appId());
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    final String key = r.json().path("authenticated_signer").asText();
    final String userId = r.json().path("user_id").asText();
    final String walletId = r.json().path("wallet_id").asText();
    assertThat(userId).startsWith("did:privy:");
    assertThat(Base64.getDecoder().decode(key)).hasSizeGreaterThan(60);

    // The first use created the user (linked by custom_auth) and a wallet the user owns.
    final JsonNode user = ok(api.get("/v1/users/" + userId));
    assertThat(account(user, "custom_auth").path("custom_user_id").asText()).isEqualTo(sub);
    assertThat(account(user, "wallet").path("id").asText()).isEqualTo(walletId);
    final JsonNode wallet = ok(api.get("/v1/wallets/" + walletId));
    assertThat(wallet.path("owner_id").asText()).isNotBlank();
    assertThat(api.post(rpc(walletId), MESSAGE).status()).as("the app secret alone cannot use the user's wallet").isEqualTo(401);

    final MandateHttp.Response first = signed("POST", rpc(walletId), MESSAGE, List.of(key), List.of());
    assertThat(first.status()).as(first.toString()).isEqualTo(200);
    assertThat(first.json().path("data").path("signature").asText()).matches("0x[0-9a-f]{128}(1b|1c)");

    final MandateHttp.Response second = signed("POST", rpc(walletId), MESSAGE, List.of(key), List.of());
    assertThat(second.status()).as("a one-time key's second use: %s", second).isEqualTo(401);

    // Authenticating again gives a fresh key for the same user and wallet; no new wallet.
    final MandateHttp.Response again = bearer("/v1/signer/authenticate", issuer.token(sub), api.appId());
    assertThat(again.json().path("user_id").asText()).isEqualTo(userId);
    assertThat(again.json().path("wallet_id").asText()).isEqualTo(walletId);
    assertThat(again.json().path("authenticated_signer").asText()).isNotEqualTo(key);
    assertThat(signed("POST", rpc(walletId), MESSAGE, List.of(again.json().path("authenticated_signer").asText()), List.of()).status())
        .isEqualTo(200);
    assertThat(count(ok(api.get("/v1/users/" + userId)), "wallet")).isEqualTo(1);
  }

  /**
   * No silent cap on a user's session keys: the host loads the keys the request's signatures can
   * match (by fingerprint), not a page of the user's keys — so after 150 logins every key, the
   * newest included, is found. (It read 100 in id order: a third of these were refused.)
   */
  @Test
  void aUserWithMoreThanAHundredLiveSessionKeysCanUseEachOfThem() {
    final String sub = "many-" + UUID.randomUUID();
    final List<String> keys = new ArrayList<>();
    String walletId = null;
    for (int i = 0; i < 150; i++) {
      final MandateHttp.Response r = bearer("/v1/signer/authenticate", issuer.token(sub), api.appId());
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      keys.add(r.json().path("authenticated_signer").asText());
      walletId = r.json().path("wallet_id").asText();
    }
    final Session reusable = hpkeSession(issuer.token(sub));
    assertThat(reusable.walletIds()).containsExactly(walletId);
    final MandateHttp.Response newest = signed("POST", rpc(walletId), MESSAGE, List.of(reusable.key()), List.of());
    assertThat(newest.status()).as("the newest of 151 keys: %s", newest).isEqualTo(200);

    final List<Integer> refused = new ArrayList<>();
    for (int i = keys.size() - 1; i >= 0; i--) {
      final MandateHttp.Response r = signed("POST", rpc(walletId), MESSAGE, List.of(keys.get(i)), List.of());
      if (r.status() != 200) {
        refused.add(i);
      }
    }
    assertThat(refused).as("one-time keys (by login order) refused").isEmpty();
    final MandateHttp.Response again = signed("POST", rpc(walletId), MESSAGE, List.of(keys.get(0)), List.of());
    assertThat(again.status()).as("still one-time: %s", again).isEqualTo(401);
  }

  @Test
  void theBodyFormWithAppCredentialsAndTheApiPrefixWorkToo() {
    final String sub = "sub-" + UUID.randomUUID();
    final MandateHttp.Response basic = api.post("/v1/signer/authenticate", "{\"user_jwt\":\"" + issuer.token(sub) + "\"}");
    assertThat(basic.status()).as(basic.toString()).isEqualTo(200);
    final MandateHttp.Response prefixed = bearer("/api/v1/signer/authenticate", issuer.token(sub), api.appId());
    assertThat(prefixed.status()).as(prefixed.toString()).isEqualTo(200);
    assertThat(prefixed.json().path("user_id").asText()).isEqualTo(basic.json().path("user_id").asText());
    assertThat(prefixed.json().path("wallet_id").asText()).isEqualTo(basic.json().path("wallet_id").asText());
    final MandateHttp.Response es256 = bearer("/v1/signer/authenticate", issuer.es256(JwtIssuer.claims(sub).build()), api.appId());
    assertThat(es256.status()).as(es256.toString()).isEqualTo(200);
    assertThat(es256.json().path("user_id").asText()).isEqualTo(basic.json().path("user_id").asText());
  }

  @Test
  void concurrentFirstUsesOfANewSubAllGetTheSameUser() {
    final String sub = "race-" + UUID.randomUUID();
    final List<MandateHttp.Response> responses = concurrently(5, () -> bearer("/v1/signer/authenticate", issuer.token(sub), api.appId()));
    assertThat(responses).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(200));
    assertThat(responses.stream().map(r -> r.json().path("user_id").asText()).distinct()).hasSize(1);
  }

  @Test
  void concurrentAuthenticationsCreateOneWallet() {
    final String sub = "race-" + UUID.randomUUID();
    final String userId = createUser(sub);
    final List<MandateHttp.Response> responses = concurrently(5, () -> bearer("/v1/signer/authenticate", issuer.token(sub), api.appId()));
    assertThat(responses).allSatisfy(r -> assertThat(r.status()).as(r.toString()).isEqualTo(200));
    assertThat(responses.stream().map(r -> r.json().path("wallet_id").asText()).distinct()).hasSize(1);
    assertThat(count(ok(api.get("/v1/users/" + userId)), "wallet")).isEqualTo(1);
  }

  @Test
  void aSubOverTheCustomUserIdLimitIsTreatedTheSameEveryTime() {
    final String sub = "L".repeat(300) + UUID.randomUUID();
    final List<MandateHttp.Response> uses = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      uses.add(bearer("/v1/signer/authenticate", issuer.token(sub), api.appId()));
    }
    // Either refused every time (POST /v1/users caps custom_user_id at 256) or the same user every time.
    assertThat(uses.stream().map(MandateHttp.Response::status).distinct()).as(uses.toString()).hasSize(1);
    if (uses.get(0).status() == 200) {
      assertThat(uses.stream().map(r -> r.json().path("user_id").asText()).distinct()).as(uses.toString()).hasSize(1);
    } else {
      assertThat(uses.get(0).status()).as(uses.toString()).isIn(400, 401);
    }
  }

  @Test
  void aWrongOrMissingAppIdIs401AndCreatesNoUser() {
    final String sub = "sub-" + UUID.randomUUID();
    final MandateHttp.Response wrong = bearer("/v1/signer/authenticate", issuer.token(sub), "nosuchapp000000000000000");
    assertThat(wrong.status()).as(wrong.toString()).isEqualTo(401);
    final MandateHttp.Response missing = api.raw("POST", "/v1/signer/authenticate", null,
        Map.of("authorization", "Bearer " + issuer.token(sub)));
    assertThat(missing.status()).as(missing.toString()).isEqualTo(401);
    final MandateHttp.Response otherSecret = api.withCredentials(api.appId(), "wrong-secret")
        .post("/v1/signer/authenticate", "{\"user_jwt\":\"" + issuer.token(sub) + "\"}");
    assertThat(otherSecret.status()).as(otherSecret.toString()).isEqualTo(401);
    assertNoUserFor(sub);
  }

  @Test
  void aTwoOfTwoQuorumOfTheUserAndAServiceKeyNeedsBoth() {
    final String sub = "sub-" + UUID.randomUUID();
    final String userId = createUser(sub);
    final AuthKey service = AuthKey.generate();
    final JsonNode quorum = ok(api.post("/v1/key_quorums", "{\"user_ids\":[\"" + userId + "\"],\"public_keys\":[\""
        + service.publicKey() + "\"],\"authorization_threshold\":2}"));
    assertThat(quorum.path("user_ids").get(0).asText()).isEqualTo(userId);
    final String walletId = ok(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"owner_id\":\"" + quorum.path("id").asText() + "\"}"))
        .path("id").asText();

    // Before the user has any session key, the service key alone is not enough.
    assertThat(signed("POST", rpc(walletId), MESSAGE, List.of(), List.of(service)).status()).isEqualTo(401);

    // A reusable session key from POST /v1/wallets/authenticate (HPKE), opened here with BouncyCastle.
    final Session session = hpkeSession(issuer.token(sub));
    assertThat(session.expiresAt() - System.currentTimeMillis()).as("expires_at is ms, about 15 min ahead")
        .isBetween(60_000L, 15 * 60_000L + 5_000L);
    assertThat(session.walletIds()).contains(walletId);

    final MandateHttp.Response userAlone = signed("POST", rpc(walletId), MESSAGE, List.of(session.key()), List.of());
    assertThat(userAlone.status()).as(userAlone.toString()).isEqualTo(401);
    assertThat(userAlone.code()).isEqualTo("insufficient_correct_authorization_signatures");
    final MandateHttp.Response serviceAlone = signed("POST", rpc(walletId), MESSAGE, List.of(), List.of(service));
    assertThat(serviceAlone.status()).as(serviceAlone.toString()).isEqualTo(401);
    final MandateHttp.Response sameKeyTwice = signed("POST", rpc(walletId), MESSAGE, List.of(session.key(), session.key()), List.of());
    assertThat(sameKeyTwice.status()).as(sameKeyTwice.toString()).isEqualTo(401);

    for (int i = 0; i < 2; i++) {
      final MandateHttp.Response both = signed("POST", rpc(walletId), MESSAGE, List.of(session.key()), List.of(service));
      assertThat(both.status()).as("the session key is reusable (use %d): %s", i + 1, both).isEqualTo(200);
    }
    final MandateHttp.Response renamed = signed("PATCH", "/v1/wallets/" + walletId, "{\"display_name\":\"joint\"}",
        List.of(session.key()), List.of(service));
    assertThat(renamed.status()).as(renamed.toString()).isEqualTo(200);
    assertThat(signed("PATCH", "/v1/wallets/" + walletId, "{\"display_name\":\"solo\"}", List.of(), List.of(service)).status())
        .isEqualTo(401);

    // The one-time key from /v1/signer/authenticate counts as the user too.
    final String oneTime = bearer("/v1/signer/authenticate", issuer.token(sub), api.appId()).json().path("authenticated_signer").asText();
    assertThat(signed("POST", rpc(walletId), MESSAGE, List.of(oneTime), List.of(service)).status()).isEqualTo(200);
    assertThat(signed("POST", rpc(walletId), MESSAGE, List.of(oneTime), List.of(service)).status()).isEqualTo(401);
    assertThat(ok(api.get("/v1/wallets/" + walletId)).path("display_name").asText()).isEqualTo("joint");
  }

  @Test
  void anAuthenticatedSignerSignsForTheUsersSolanaWalletToo() {
    final String sub = "sol-" + UUID.randomUUID();
    final String userId = ok(bearer("/v1/signer/authenticate", issuer.token(sub), api.appId())).path("user_id").asText();
    final String solana = ok(api.post("/v1/wallets", "{\"chain_type\":\"solana\",\"owner\":{\"user_id\":\"" + userId + "\"}}"))
        .path("id").asText();
    final String body = "{\"method\":\"signMessage\",\"params\":{\"message\":\"aGVsbG8=\",\"encoding\":\"base64\"}}";
    assertThat(api.post(rpc(solana), body).status()).as("the app alone cannot sign for the user").isEqualTo(401);
    final String oneTime = ok(bearer("/v1/signer/authenticate", issuer.token(sub), api.appId())).path("authenticated_signer").asText();
    final MandateHttp.Response signed = signed("POST", rpc(solana), body, List.of(oneTime), List.of());
    assertThat(signed.status()).as(signed.toString()).isEqualTo(200);
    assertThat(signed.json().path("data").path("signature").asText()).isNotEmpty();
  }

  @Test
  void aSessionKeyOfAnotherUserIsRefused() {
    final String alice = createUser("alice-" + UUID.randomUUID());
    final String aliceSub = account(ok(api.get("/v1/users/" + alice)), "custom_auth").path("custom_user_id").asText();
    final JsonNode wallet = ok(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"owner\":{\"user_id\":\"" + alice + "\"}}"));
    final String walletId = wallet.path("id").asText();

    // Alice never authenticated: a signature by any key finds no session key of hers.
    final MandateHttp.Response none = signed("POST", rpc(walletId), MESSAGE, List.of(), List.of(AuthKey.generate()));
    assertThat(none.status()).as(none.toString()).isEqualTo(401);
    assertThat(none.code()).isEqualTo("no_valid_user_session_keys");

    final String bobSub = "bob-" + UUID.randomUUID();
    final String bobOneTime = bearer("/v1/signer/authenticate", issuer.token(bobSub), api.appId()).json().path("authenticated_signer").asText();
    final Session bobSession = hpkeSession(issuer.token(bobSub));
    assertThat(bobSession.walletIds()).doesNotContain(walletId);
    for (final String bobKey : List.of(bobOneTime, bobSession.key())) {
      final MandateHttp.Response rpc = signed("POST", rpc(walletId), MESSAGE, List.of(bobKey), List.of());
      assertThat(rpc.status()).as(rpc.toString()).isEqualTo(401);
      final MandateHttp.Response patch = signed("PATCH", "/v1/wallets/" + walletId, "{\"display_name\":\"bob's now\"}", List.of(bobKey), List.of());
      assertThat(patch.status()).as(patch.toString()).isEqualTo(401);
    }
    assertThat(ok(api.get("/v1/wallets/" + walletId))).isEqualTo(wallet);

    final Session aliceSession = hpkeSession(issuer.token(aliceSub));
    assertThat(aliceSession.walletIds()).containsExactly(walletId);
    assertThat(signed("POST", rpc(walletId), MESSAGE, List.of(aliceSession.key()), List.of()).status()).isEqualTo(200);
  }

  @Test
  void badTokensAre401AndChangeNothing() {
    final String sub = "victim-" + UUID.randomUUID();
    final String userId = createUser(sub);
    final String walletId = ok(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"owner\":{\"user_id\":\"" + userId + "\"}}")).path("id").asText();
    final JsonNode userBefore = ok(api.get("/v1/users/" + userId));
    final JsonNode walletBefore = ok(api.get("/v1/wallets/" + walletId));
    final String newSub = "never-" + UUID.randomUUID();

    final List<String> failures = new ArrayList<>();
    for (final String who : List.of(sub, newSub)) {
      for (final Map.Entry<String, String> bad : badTokens(who).entrySet()) {
        final List<MandateHttp.Response> responses = List.of(
            bearer("/v1/signer/authenticate", bad.getValue(), api.appId()),
            api.post("/v1/signer/authenticate", "{\"user_jwt\":\"" + bad.getValue() + "\"}"),
            api.post("/v1/wallets/authenticate", hpkeBody(bad.getValue(), recipient().publicSpkiBase64())));
        for (final MandateHttp.Response r : responses) {
          if (r.status() != 401 || !"invalid_user_jwt".equals(r.code())) {
            failures.add(bad.getKey() + " for " + (who.equals(sub) ? "an existing user" : "a new sub") + " -> " + r);
          }
        }
      }
    }
    assertThat(failures).as("every bad token is 401 invalid_user_jwt").isEmpty();
    assertThat(ok(api.get("/v1/users/" + userId))).isEqualTo(userBefore);
    assertThat(ok(api.get("/v1/wallets/" + walletId))).isEqualTo(walletBefore);
    assertNoUserFor(newSub);
    // The issuer's good tokens still work afterwards.
    assertThat(bearer("/v1/signer/authenticate", issuer.token(sub), api.appId()).json().path("wallet_id").asText()).isEqualTo(walletId);
  }

  /** Each a token an attacker (or a misconfigured provider) might send, named for the failure report. */
  private static Map<String, String> badTokens(final String sub) {
    final Instant now = Instant.now();
    final Map<String, String> bad = new LinkedHashMap<>();
    bad.put("expired", issuer.rs256(JwtIssuer.claims(sub).expirationTime(Date.from(now.minusSeconds(3600))).build()));
    bad.put("not yet valid", issuer.rs256(JwtIssuer.claims(sub).notBeforeTime(Date.from(now.plusSeconds(600))).build()));
    bad.put("wrong audience", issuer.rs256(JwtIssuer.claims(sub).audience("someone-else").build()));
    bad.put("no audience", issuer.rs256(JwtIssuer.claims(sub).audience((String) null).build()));
    bad.put("wrong issuer", issuer.rs256(JwtIssuer.claims(sub).issuer("https://evil.example").build()));
    bad.put("no expiry", issuer.rs256(JwtIssuer.claims(sub).expirationTime(null).build()));
    bad.put("no subject", issuer.rs256(JwtIssuer.claims(sub).subject(null).build()));
    bad.put("tampered payload", JwtIssuer.tamper(issuer.token("someone-" + UUID.randomUUID()), JwtIssuer.claims(sub).build()));
    bad.put("tampered ES256 payload", JwtIssuer.tamper(issuer.es256(JwtIssuer.claims("x-" + UUID.randomUUID()).build()), JwtIssuer.claims(sub).build()));
    bad.put("unknown kid", JwtIssuer.rs256With(JwtIssuer.newRsa("k"), "unknown-" + UUID.randomUUID(), JwtIssuer.claims(sub).build()));
    bad.put("known kid, wrong key", JwtIssuer.rs256With(JwtIssuer.newRsa("k"), issuer.rsa().getKeyID(), JwtIssuer.claims(sub).build()));
    bad.put("alg none", JwtIssuer.none(JwtIssuer.claims(sub).build()));
    bad.put("HS256 keyed with the JWKS", issuer.hs256(JwtIssuer.claims(sub).build()));
    bad.put("not a JWT", "not.a.jwt");
    return bad;
  }

  // ---- helpers ----

  private static List<MandateHttp.Response> concurrently(final int n, final java.util.concurrent.Callable<MandateHttp.Response> call) {
    final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(n);
    try {
      final List<java.util.concurrent.Future<MandateHttp.Response>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        futures.add(pool.submit(call));
      }
      final List<MandateHttp.Response> out = new ArrayList<>();
      for (final java.util.concurrent.Future<MandateHttp.Response> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(e);
    } finally {
      pool.shutdownNow();
    }
  }

  private static MandateHttp.Response bearer(final String path, final String jwt, final String appId) {
    return api.raw("POST", path, null, Map.of("privy-app-id", appId, "authorization", "Bearer " + jwt));
  }

  private static String rpc(final String walletId) {
    return "/v1/wallets/" + walletId + "/rpc";
  }

  private static String createUser(final String sub) {
    return ok(api.post("/v1/users", "{\"linked_accounts\":[{\"type\":\"custom_auth\",\"custom_user_id\":\"" + sub + "\"}]}"))
        .path("id").asText();
  }

  /** POST /v1/users for the sub succeeds only when no user is linked to it yet (409 otherwise). */
  private static void assertNoUserFor(final String sub) {
    final MandateHttp.Response r = api.post("/v1/users", "{\"linked_accounts\":[{\"type\":\"custom_auth\",\"custom_user_id\":\"" + sub + "\"}]}");
    assertThat(r.status()).as("no user was linked to %s before: %s", sub, r).isEqualTo(200);
  }

  private static JsonNode account(final JsonNode user, final String type) {
    for (final JsonNode a : user.path("linked_accounts")) {
      if (type.equals(a.path("type").asText())) {
        return a;
      }
    }
    throw new AssertionError("no " + type + " account in " + user);
  }

  private static int count(final JsonNode user, final String type) {
    int n = 0;
    for (final JsonNode a : user.path("linked_accounts")) {
      n += type.equals(a.path("type").asText()) ? 1 : 0;
    }
    return n;
  }

  /**
   * Sends a request signed by session keys (base64 PKCS#8, as the API hands them out) and app
   * keys, the signatures made with the JDK's ECDSA over Privy's canonical payload.
   */
  private static MandateHttp.Response signed(final String method, final String path, final String body,
      final List<String> pkcs8Keys, final List<AuthKey> authKeys) {
    final Map<String, String> signedHeaders = Map.of("privy-app-id", api.appId());
    final byte[] payload = AuthorizationPayload.of(method, api.baseUrl() + path, body, signedHeaders).canonicalBytes();
    final List<String> signatures = new ArrayList<>();
    for (final String key : pkcs8Keys) {
      signatures.add(signPkcs8(key, payload));
    }
    for (final AuthKey key : authKeys) {
      signatures.add(key.signBytes(payload));
    }
    return api.send(method, path, body, Map.of("privy-authorization-signature", String.join(",", signatures)));
  }

  private static String signPkcs8(final String pkcs8Base64, final byte[] payload) {
    try {
      final PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pkcs8Base64)));
      final Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(key);
      signer.update(payload);
      return Base64.getEncoder().encodeToString(signer.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---- HPKE (Privy's suite: base mode, DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305) ----

  private record Recipient(HPKE suite, AsymmetricCipherKeyPair pair) {
    String publicSpkiBase64() {
      final byte[] point = suite.serializePublicKey(pair.getPublic());
      final byte[] spki = new byte[P256_SPKI_PREFIX.length + point.length];
      System.arraycopy(P256_SPKI_PREFIX, 0, spki, 0, P256_SPKI_PREFIX.length);
      System.arraycopy(point, 0, spki, P256_SPKI_PREFIX.length, point.length);
      return Base64.getEncoder().encodeToString(spki);
    }

    String open(final String encapsulatedKey, final String ciphertext) {
      try {
        return new String(suite.open(Base64.getDecoder().decode(encapsulatedKey), pair, new byte[0], new byte[0],
            Base64.getDecoder().decode(ciphertext), null, null, null), StandardCharsets.UTF_8);
      } catch (InvalidCipherTextException e) {
        throw new AssertionError("the session key does not open with our HPKE key", e);
      }
    }
  }

  private record Session(String key, long expiresAt, List<String> walletIds) {}

  private static Recipient recipient() {
    final HPKE suite = new HPKE(HPKE.mode_base, HPKE.kem_P256_SHA256, HPKE.kdf_HKDF_SHA256, HPKE.aead_CHACHA20_POLY1305);
    return new Recipient(suite, suite.generatePrivateKey());
  }

  private static String hpkeBody(final String jwt, final String recipientSpki) {
    return MandateHttp.json(Map.of("user_jwt", jwt, "encryption_type", "HPKE", "recipient_public_key", recipientSpki));
  }

  /** POST /v1/wallets/authenticate and open the sealed session key. */
  private static Session hpkeSession(final String jwt) {
    final Recipient recipient = recipient();
    final JsonNode r = ok(api.post("/v1/wallets/authenticate", hpkeBody(jwt, recipient.publicSpkiBase64())));
    final JsonNode sealed = r.path("encrypted_authorization_key");
    assertThat(sealed.path("encryption_type").asText()).isEqualTo("HPKE");
    final String key = recipient.open(sealed.path("encapsulated_key").asText(), sealed.path("ciphertext").asText());
    final List<String> wallets = new ArrayList<>();
    r.path("wallets").forEach(w -> wallets.add(w.path("id").asText()));
    return new Session(key, r.path("expires_at").asLong(), wallets);
  }
}
