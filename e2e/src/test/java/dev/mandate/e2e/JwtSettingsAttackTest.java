package dev.mandate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * JWT settings an app-secret holder must not be able to store: no issuer or audience (any token of a
 * shared JWKS would verify), plain http, and JWKS URLs aimed at private, link-local or metadata
 * addresses (server-side request forgery from the Lambda). Each is a 400 {@code {error, code}} and the
 * stored settings stay as they were. (Loopback itself is allowed here only because the e2e runner is
 * the dev runner, MANDATE_DEV_ALLOW_LOOPBACK_JWKS; JwtSettingsTest covers it without the flag.)
 */
class JwtSettingsAttackTest {
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

  @BeforeEach
  void configure() {
    assertThat(api.send("PUT", "/v1/jwt_settings", issuer.settingsJson(), Map.of()).status()).isEqualTo(200);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"jwks_url\":\"https://auth.example/jwks\",\"audience\":\"a\"}",
      "{\"jwks_url\":\"https://auth.example/jwks\",\"issuer\":\"https://auth.example\"}",
      "{\"jwks_url\":\"http://auth.example/jwks\",\"issuer\":\"https://auth.example\",\"audience\":\"a\"}",
      "{\"jwks_url\":\"https://169.254.169.254/latest/meta-data/\",\"issuer\":\"i\",\"audience\":\"a\"}",
      "{\"jwks_url\":\"http://169.254.170.2/v2/credentials\",\"issuer\":\"i\",\"audience\":\"a\"}",
      "{\"jwks_url\":\"https://metadata.google.internal/x\",\"issuer\":\"i\",\"audience\":\"a\"}",
      "{\"jwks_url\":\"https://10.1.2.3/jwks\",\"issuer\":\"i\",\"audience\":\"a\"}",
      "{\"jwks_url\":\"https://[fd00:ec2::254]/jwks\",\"issuer\":\"i\",\"audience\":\"a\"}",
      "{\"jwks_url\":\"https://0x7f000001/jwks\",\"issuer\":\"i\",\"audience\":\"a\"}",
      "{\"jwks_url\":null,\"issuer\":\"i\",\"audience\":\"a\"}",
      "{\"jwks_url\":7,\"issuer\":\"i\",\"audience\":\"a\"}",
  })
  void unsafeSettingsAreRefusedAndNothingChanges(final String body) {
    final String before = api.get("/v1/jwt_settings").raw();

    final MandateHttp.Response refused = api.send("PUT", "/v1/jwt_settings", body, Map.of());

    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(refused.code()).isNotBlank();
    assertThat(refused.error()).isNotBlank();
    assertThat(api.get("/v1/jwt_settings").raw()).isEqualTo(before);
  }

  @Test
  void aTokenOfTheSameKeySetForAnotherAudienceOrIssuerIsRefused() {
    final String otherApp = issuer.rs256(JwtIssuer.claims("user-of-another-app").audience("another-app").build());
    final String otherIssuer = issuer.rs256(JwtIssuer.claims("user-of-another-app").issuer("https://evil.example").build());

    for (final String jwt : new String[] {otherApp, otherIssuer}) {
      final MandateHttp.Response r = api.raw("POST", "/v1/signer/authenticate", null,
          Map.of("privy-app-id", api.appId(), "authorization", "Bearer " + jwt));
      assertThat(r.status()).as(r.toString()).isEqualTo(401);
      assertThat(r.code()).isEqualTo("invalid_user_jwt");
    }
  }
}
