package dev.mandate.enclave.jwt;

import static dev.mandate.enclave.jwt.Tokens.NOW;
import static dev.mandate.enclave.jwt.Tokens.claims;
import static dev.mandate.enclave.jwt.Tokens.sign;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.mandate.enclave.jwt.InvalidJwtException.Reason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class JwtVerifierTest {
  private static RSAKey rsa;
  private static ECKey ec;
  private static RSAKey otherRsa;

  private JwksServer server;
  private JwtVerifier verifier;
  private JwtSettings settings;

  @BeforeAll
  static void keys() throws JOSEException {
    // The test JWKS server is plain http on 127.0.0.1, as in the dev runner.
    System.setProperty(JwksUrls.DEV_LOOPBACK_PROPERTY, "true");
    rsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
    ec = new ECKeyGenerator(Curve.P_256).keyID("ec-1").generate();
    otherRsa = new RSAKeyGenerator(2048).keyID("rsa-1").generate();
  }

  @org.junit.jupiter.api.AfterAll
  static void production() {
    System.clearProperty(JwksUrls.DEV_LOOPBACK_PROPERTY);
  }

  @BeforeEach
  void start() {
    server = JwksServer.serving(new JWKSet(List.of(rsa, ec)));
    verifier = verifierAt(NOW);
    settings = JwtSettings.jwks(server.url(), "https://auth.example", "mandate-app");
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void rs256TokenFromTheJwksVerifies() {
    final VerifiedJwt verified = verifier.verify(sign(rsa, claims().build()), settings);

    assertThat(verified.subject()).isEqualTo("user-1");
    assertThat(verified.expiresAt()).isEqualTo(NOW.plusSeconds(3600));
    assertThat(verified.issuer()).contains("https://auth.example");
    assertThat(verified.claims()).containsEntry("email", "user@example.com").containsKey("exp");
  }

  @Test
  void es256TokenFromTheJwksVerifies() {
    assertThat(verifier.verify(sign(ec, claims().build()), settings).subject()).isEqualTo("user-1");
  }

  @Test
  void tokenWithoutKidIsMatchedAgainstEveryKeyOfItsType() {
    assertThat(verifier.verify(sign(rsa, null, claims().build()), settings).subject()).isEqualTo("user-1");
  }

  @Test
  void jwksIsFetchedOnceAndSharedAcrossCallsAndSettingsForTheSameUrl() {
    verifier.verify(sign(rsa, claims().build()), settings);
    verifier.verify(sign(ec, claims().build()), settings.withAllowedAlgorithms(java.util.Set.of("ES256")));
    verifier.verify(sign(rsa, claims().build()), settings);

    assertThat(server.hits()).isEqualTo(1);
  }

  @Test
  void aTokenOfTheSameKeySetForAnotherIssuerOrAudienceIsRefused() {
    // A shared JWKS (Firebase, Google, Apple) signs every customer's tokens: only iss and aud tell them apart.
    assertRefused(sign(rsa, claims().issuer("someone-else").build()), verifier, settings, Reason.WRONG_ISSUER);
    assertRefused(sign(rsa, claims().audience("another-app").build()), verifier, settings, Reason.WRONG_AUDIENCE);
  }

  @Test
  void aJwksUrlThatResolvesToLoopbackIsNotFetchedOutsideDevelopment() {
    System.clearProperty(JwksUrls.DEV_LOOPBACK_PROPERTY);
    try {
      // Stored while allowed (or a name that has since been rebound to 127.0.0.1): refused at fetch time.
      assertRefused(sign(rsa, claims().build()), verifier, settings, Reason.KEYS_UNAVAILABLE);
      assertThat(server.hits()).isZero();
    } finally {
      System.setProperty(JwksUrls.DEV_LOOPBACK_PROPERTY, "true");
    }
  }

  @Test
  void audienceMayBeOneOfSeveral() {
    final String token = sign(rsa, claims().audience(List.of("other", "mandate-app")).build());

    assertThat(verifier.verify(token, settings).subject()).isEqualTo("user-1");
  }

  @Test
  void expiredTokenIsRefused() {
    assertRefused(sign(rsa, claims().expirationTime(Date.from(NOW.minusSeconds(31))).build()), Reason.EXPIRED);
    assertRefused(sign(rsa, claims().expirationTime(Date.from(NOW.minusSeconds(30))).build()), Reason.EXPIRED);
  }

  @Test
  void tokenExpiredWithinTheClockSkewStillVerifies() {
    final String token = sign(rsa, claims().expirationTime(Date.from(NOW.minusSeconds(29))).build());

    assertThat(verifier.verify(token, settings).subject()).isEqualTo("user-1");
    assertThatThrownBy(() -> verifier.verify(token, settings.withClockSkew(Duration.ZERO)))
        .isInstanceOfSatisfying(InvalidJwtException.class, e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED));
  }

  @Test
  void notYetValidTokenIsRefusedBeyondTheSkew() {
    assertRefused(sign(rsa, claims().notBeforeTime(Date.from(NOW.plusSeconds(31))).build()), Reason.NOT_YET_VALID);
    assertThat(verifier.verify(sign(rsa, claims().notBeforeTime(Date.from(NOW.plusSeconds(29))).build()), settings))
        .isNotNull();
  }

  @Test
  void tokenWithoutExpIsMalformed() {
    assertRefused(sign(rsa, claims().expirationTime(null).build()), Reason.MALFORMED);
  }

  @Test
  void wrongOrMissingIssuerIsRefused() {
    assertRefused(sign(rsa, claims().issuer("https://evil.example").build()), Reason.WRONG_ISSUER);
    assertRefused(sign(rsa, claims().issuer(null).build()), Reason.WRONG_ISSUER);
  }

  @Test
  void wrongOrMissingAudienceIsRefused() {
    assertRefused(sign(rsa, claims().audience("another-app").build()), Reason.WRONG_AUDIENCE);
    assertRefused(sign(rsa, claims().audience((String) null).build()), Reason.WRONG_AUDIENCE);
  }

  @Test
  void tokenWithoutSubjectIsRefused() {
    assertRefused(sign(rsa, claims().subject(null).build()), Reason.NO_SUBJECT);
    assertRefused(sign(rsa, claims().subject("  ").build()), Reason.NO_SUBJECT);
  }

  @Test
  void tamperedPayloadHasABadSignature() throws Exception {
    final String[] parts = sign(rsa, claims().build()).split("\\.");
    final String forged = Base64URL.encode(claims().subject("admin").build().toString()).toString();

    assertRefused(parts[0] + "." + forged + "." + parts[2], Reason.BAD_SIGNATURE);
  }

  @Test
  void tokenFromAnotherKeyUnderAKnownKidHasABadSignature() {
    assertRefused(sign(otherRsa, claims().build()), Reason.BAD_SIGNATURE);
  }

  @Test
  void unsecuredAlgNoneTokenIsRefused() {
    final String plain = new PlainJWT(claims().build()).serialize();

    assertRefused(plain, Reason.ALGORITHM_NOT_ALLOWED);
    // The same with a signature part appended, as some attacks send it.
    assertRefused(plain + sign(rsa, claims().build()).split("\\.")[2], Reason.ALGORITHM_NOT_ALLOWED);
  }

  @Test
  void hs256SignedWithThePublicKeyAsSecretIsRefused() throws Exception {
    final SignedJWT forged =
        new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("rsa-1").build(), claims().build());
    forged.sign(new MACSigner(rsa.toPublicKey().getEncoded()));

    assertRefused(forged.serialize(), Reason.ALGORITHM_NOT_ALLOWED);
  }

  @Test
  void algorithmTheAppDidNotAllowIsRefused() {
    assertRefused(sign(ec, claims().build()), settings.withAllowedAlgorithms(Set.of("RS256")), Reason.ALGORITHM_NOT_ALLOWED);
  }

  @Test
  void unknownKidIsRefused() {
    assertRefused(sign(rsa, "no-such-kid", claims().build()), Reason.UNKNOWN_KEY);
  }

  @Test
  void garbageIsMalformed() {
    for (final String junk : new String[] {null, "", "abc", "a.b.c", "..", "eyJhbGciOiJSUzI1NiJ9.%%%.abc",
        "x".repeat(JwtVerifier.MAX_JWT_LENGTH + 1)}) {
      assertRefused(junk, Reason.MALFORMED);
    }
    final String[] parts = sign(rsa, claims().build()).split("\\.");
    assertRefused(parts[0] + "." + Base64URL.encode("not json") + "." + parts[2], Reason.MALFORMED);
  }

  @Test
  void rotatedInKeyIsFetchedOnItsFirstTokenAndTheRemovedKeyStopsVerifying() throws Exception {
    final RSAKey next = new RSAKeyGenerator(2048).keyID("rsa-2").generate();
    final String oldToken = sign(rsa, claims().build());
    verifier.verify(oldToken, settings);

    server.serve(new JWKSet(List.of(next, ec)));

    assertThat(verifier.verify(sign(next, claims().build()), settings).subject()).isEqualTo("user-1");
    assertThat(server.hits()).isEqualTo(2);
    // The cached set is now the new one: the old kid is unknown (the refetch it asks for is
    // rate-limited, and would not bring the key back anyway).
    assertRefused(oldToken, Reason.UNKNOWN_KEY);
  }

  @Test
  void refetchesForUnknownKidsAreRateLimited() {
    for (int i = 0; i < 10; i++) {
      assertRefused(sign(rsa, "forged-" + i, claims().build()), Reason.UNKNOWN_KEY);
    }

    assertThat(server.hits()).isEqualTo(2);
  }

  @Test
  void keysAreRefetchedAfterTheCacheTimeToLive() throws Exception {
    final JwtVerifier shortLived = JwtVerifier.builder()
        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .cacheTimeToLive(Duration.ofMillis(200))
        .refreshMinInterval(Duration.ofMillis(100))
        .build();
    final String token = sign(rsa, claims().build());
    shortLived.verify(token, settings);
    server.serve(new JWKSet(List.of(ec)));

    Thread.sleep(400);

    assertThatThrownBy(() -> shortLived.verify(token, settings))
        .isInstanceOfSatisfying(InvalidJwtException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY));
    // The expired cache is refetched; nimbus may add one unknown-kid refetch within its rate limit.
    assertThat(server.hits()).isBetween(2, 3);
  }

  @Test
  void refreshIntervalMustBeShorterThanTheCacheLifetime() {
    assertThatThrownBy(() -> JwtVerifier.builder().cacheTimeToLive(Duration.ofSeconds(30)).build())
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void unreachableJwksMeansKeysUnavailableEvenOnceRefetchesAreRateLimited() {
    server.close();

    for (int i = 0; i < 4; i++) {
      assertRefused(sign(rsa, claims().build()), Reason.KEYS_UNAVAILABLE);
    }
  }

  @Test
  void jwksErrorStatusOrGarbageMeansKeysUnavailable() {
    server.serveRaw(500, "{\"keys\":[]}");
    assertRefused(sign(rsa, claims().build()), Reason.KEYS_UNAVAILABLE);

    server.serveRaw(200, "<html>");
    assertRefused(sign(rsa, claims().build()), Reason.KEYS_UNAVAILABLE);
  }

  @Test
  void oversizedJwksIsNotRead() {
    server.serveRaw(200, "{\"keys\":[],\"padding\":\"" + "x".repeat(60 * 1024) + "\"}");

    assertRefused(sign(rsa, claims().build()), Reason.KEYS_UNAVAILABLE);
  }

  @Test
  void pemKeysVerifyWithoutAnyHttp() {
    final JwtVerifier offline = JwtVerifier.builder()
        .clock(Clock.fixed(NOW, ZoneOffset.UTC))
        .resourceRetriever((url) -> {
          throw new AssertionError("no HTTP expected");
        })
        .build();
    final JwtSettings pem = JwtSettings.pem(List.of(Tokens.pem(rsa), Tokens.pem(ec)), "https://auth.example");

    assertThat(offline.verify(sign(rsa, claims().build()), pem).subject()).isEqualTo("user-1");
    assertThat(offline.verify(sign(ec, claims().build()), pem).subject()).isEqualTo("user-1");
    assertThat(offline.verify(sign(rsa, "any-kid-at-all", claims().build()), pem).subject()).isEqualTo("user-1");
    assertRefused(sign(otherRsa, claims().build()), offline, pem, Reason.BAD_SIGNATURE);
    assertRefused(sign(ec, claims().build()), offline, JwtSettings.pem(List.of(Tokens.pem(rsa)), "https://auth.example"), Reason.UNKNOWN_KEY);
  }

  private static JwtVerifier verifierAt(final Instant now) {
    return JwtVerifier.builder().clock(Clock.fixed(now, ZoneOffset.UTC)).build();
  }

  private void assertRefused(final String jwt, final Reason reason) {
    assertRefused(jwt, verifier, settings, reason);
  }

  private void assertRefused(final String jwt, final JwtSettings with, final Reason reason) {
    assertRefused(jwt, verifier, with, reason);
  }

  private static void assertRefused(
      final String jwt, final JwtVerifier by, final JwtSettings with, final Reason reason) {
    assertThatThrownBy(() -> by.verify(jwt, with))
        .isInstanceOfSatisfying(InvalidJwtException.class, e -> {
          assertThat(e.reason()).isEqualTo(reason);
          assertThat(e.getCause()).isNull();
          if (jwt != null && jwt.length() > 8) {
            for (final String part : jwt.split("\\.")) {
              if (part.length() > 8) {
                assertThat(e.getMessage()).doesNotContain(part);
              }
            }
          }
        });
  }
}
