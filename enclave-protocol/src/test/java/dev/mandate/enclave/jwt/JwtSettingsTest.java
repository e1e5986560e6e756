package dev.mandate.enclave.jwt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dev.mandate.enclave.InvalidRequestException;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JwtSettingsTest {
  private static final URI JWKS = URI.create("https://auth.example/.well-known/jwks.json");
  private static final String ISS = "https://auth.example";
  private static final String AUD = "app-1";

  @Test
  void jwksSettingsTakeTheDefaults() {
    final JwtSettings settings = JwtSettings.jwks(JWKS, ISS, AUD);

    assertThat(settings.allowedAlgorithms()).containsExactlyInAnyOrder("RS256", "ES256");
    assertThat(settings.clockSkew()).isEqualTo(Duration.ofSeconds(30));
    assertThat(settings.issuer()).contains(ISS);
    assertThat(settings.audience()).contains(AUD);
  }

  @Test
  void jsonRoundTripsEveryField() {
    final JwtSettings settings = JwtSettings.jwks(JWKS, ISS, AUD)
        .withAllowedAlgorithms(Set.of("PS256", "ES256"))
        .withClockSkew(Duration.ofSeconds(10));

    assertThat(settings.toJson().toString()).isEqualTo(
        "{\"jwks_url\":\"https://auth.example/.well-known/jwks.json\",\"issuer\":\"https://auth.example\","
            + "\"audience\":\"app-1\",\"allowed_algorithms\":[\"ES256\",\"PS256\"],\"clock_skew_seconds\":10}");
    assertThat(JwtSettings.fromJson(settings.toJson())).isEqualTo(settings);
  }

  @Test
  void pemSettingsRoundTrip() throws Exception {
    final JwtSettings settings = JwtSettings.pem(List.of(
        Tokens.pem(new RSAKeyGenerator(2048).generate()), Tokens.pem(new ECKeyGenerator(Curve.P_256).generate())), ISS);

    assertThat(JwtSettings.fromJson(settings.toJson())).isEqualTo(settings);
  }

  @Test
  void absentAlgorithmsAndSkewTakeTheDefaults() throws Exception {
    final JwtSettings settings = JwtSettings.fromJson(json(
        "{\"jwks_url\":\"https://auth.example/jwks\",\"issuer\":\"https://auth.example\",\"audience\":\"app-1\"}"));

    assertThat(settings).isEqualTo(JwtSettings.jwks(URI.create("https://auth.example/jwks"), ISS, AUD));
  }

  @Test
  void issuerIsRequired() throws Exception {
    assertInvalid(() -> new JwtSettings(Optional.of(JWKS), List.of(), Optional.empty(), Optional.of(AUD),
        JwtSettings.DEFAULT_ALGORITHMS, JwtSettings.DEFAULT_CLOCK_SKEW), "issuer is required");
    final com.fasterxml.jackson.databind.node.ObjectNode pemOnly = new ObjectMapper().createObjectNode();
    pemOnly.putArray("pem_public_keys").add(Tokens.pem(new ECKeyGenerator(Curve.P_256).generate()));
    assertInvalid(() -> JwtSettings.fromJson(pemOnly), "issuer is required");
  }

  @Test
  void audienceIsRequiredWithAJwksUrl() {
    assertInvalid(() -> JwtSettings.fromJson(json("{\"jwks_url\":\"https://auth.example/jwks\",\"issuer\":\"x\"}")),
        "audience is required");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "http://auth.example/jwks.json",
      "http://127.0.0.1:9001/2018-06-01/runtime/invocation/next", // the Lambda Runtime API
      "https://127.0.0.1/jwks.json",
      "https://localhost/jwks.json",
      "https://foo.localhost/jwks.json",
      "https://[::1]/jwks.json",
      "https://169.254.169.254/latest/meta-data/", // instance metadata
      "https://[fd00:ec2::254]/latest/meta-data/",
      "https://metadata.google.internal/computeMetadata/v1/",
      "https://10.0.0.5/jwks.json",
      "https://172.16.3.4/jwks.json",
      "https://192.168.1.1/jwks.json",
      "https://100.64.0.1/jwks.json",
      "https://0.0.0.0/jwks.json",
      "https://[::ffff:127.0.0.1]/jwks.json",
      "https://[fe80::1]/jwks.json",
      "https://2130706433/jwks.json", // 127.0.0.1 as one number
      "https://0x7f.0.0.1/jwks.json",
  })
  void refusesPlainHttpAndLocalPrivateOrMetadataAddresses(final String url) {
    assertInvalid(() -> JwtSettings.jwks(URI.create(url), ISS, AUD), "jwks_url");
  }

  @Test
  void loopbackIsAcceptedOnlyWithTheDevRunnersFlag() {
    System.setProperty(JwksUrls.DEV_LOOPBACK_PROPERTY, "true");
    try {
      assertThat(JwtSettings.jwks(URI.create("http://127.0.0.1:8080/jwks.json"), ISS, AUD).jwksUrl()).isPresent();
      assertThat(JwtSettings.jwks(URI.create("http://localhost/jwks.json"), ISS, AUD).jwksUrl()).isPresent();
      assertInvalid(() -> JwtSettings.jwks(URI.create("http://auth.example/jwks.json"), ISS, AUD), "https");
      assertInvalid(() -> JwtSettings.jwks(URI.create("https://169.254.169.254/"), ISS, AUD), "jwks_url");
    } finally {
      System.clearProperty(JwksUrls.DEV_LOOPBACK_PROPERTY);
    }
    assertInvalid(() -> JwtSettings.jwks(URI.create("http://127.0.0.1:8080/jwks.json"), ISS, AUD), "https");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ftp://auth.example/jwks", "https://user:pw@auth.example/jwks", "https://auth.example/jwks#x", "/jwks"})
  void refusesJwksUrlsThatAreNotPlainHttps(final String url) {
    assertInvalid(() -> JwtSettings.jwks(URI.create(url), ISS, AUD), "jwks_url");
  }

  @Test
  void needsExactlyOneKeySource() {
    assertInvalid(() -> JwtSettings.pem(List.of(), ISS), "exactly one");
    assertInvalid(() -> new JwtSettings(Optional.of(JWKS), List.of(Tokens.pem(new ECKeyGenerator(Curve.P_256).generate())),
        Optional.of(ISS), Optional.of(AUD), JwtSettings.DEFAULT_ALGORITHMS, JwtSettings.DEFAULT_CLOCK_SKEW), "exactly one");
  }

  @ParameterizedTest
  @ValueSource(strings = {"none", "HS256", "HS512", "EdDSA", "rs256"})
  void refusesAlgorithmsOtherThanRsaPssAndEcdsa(final String algorithm) {
    assertInvalid(() -> JwtSettings.jwks(JWKS, ISS, AUD).withAllowedAlgorithms(Set.of("RS256", algorithm)), "allowed_algorithms");
  }

  @Test
  void refusesAnEmptyAlgorithmSet() {
    assertInvalid(() -> JwtSettings.jwks(JWKS, ISS, AUD).withAllowedAlgorithms(Set.of()), "allowed_algorithms");
  }

  @Test
  void refusesPemThatIsNotAnRsa2048OrP256PublicKey() throws Exception {
    assertInvalid(() -> JwtSettings.pem(List.of("not a key"), ISS), "pem_public_keys[0]");
    assertInvalid(() -> JwtSettings.pem(List.of(Tokens.pem(new RSAKeyGenerator(1024, true).generate())), ISS), "pem_public_keys[0]");
    final String p384 = Tokens.pem(new ECKeyGenerator(Curve.P_384).generate());
    assertInvalid(() -> JwtSettings.pem(List.of(Tokens.pem(new ECKeyGenerator(Curve.P_256).generate()), p384), ISS), "pem_public_keys[1]");
    final String privateArmour = Tokens.pem(new ECKeyGenerator(Curve.P_256).generate()).replace("PUBLIC", "PRIVATE");
    assertInvalid(() -> JwtSettings.pem(List.of(privateArmour), ISS), "pem_public_keys[0]");
  }

  @Test
  void refusesSkewOutsideZeroToFiveMinutes() {
    assertInvalid(() -> JwtSettings.jwks(JWKS, ISS, AUD).withClockSkew(Duration.ofSeconds(-1)), "clock_skew_seconds");
    assertInvalid(() -> JwtSettings.jwks(JWKS, ISS, AUD).withClockSkew(Duration.ofMinutes(6)), "clock_skew_seconds");
  }

  @Test
  void refusesBlankIssuerOrAudience() {
    assertInvalid(() -> JwtSettings.jwks(JWKS, ISS, AUD).withIssuer(" "), "issuer");
    assertInvalid(() -> JwtSettings.jwks(JWKS, ISS, AUD).withAudience(""), "audience");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "[]",
      "{\"jwks_url\":\"https://a.example/j\",\"jwks_uri\":\"typo\"}",
      "{\"jwks_url\":42}",
      "{\"jwks_url\":\"https://a.example/j\",\"allowed_algorithms\":\"RS256\"}",
      "{\"jwks_url\":\"https://a.example/j\",\"allowed_algorithms\":[1]}",
      "{\"jwks_url\":\"https://a.example/j\",\"clock_skew_seconds\":1.5}",
      "{\"jwks_url\":\"https://a.example/j\",\"clock_skew_seconds\":\"30\"}",
      "{\"jwks_url\":\"not a url\"}",
  })
  void fromJsonRefusesBadDocuments(final String text) {
    assertThatThrownBy(() -> JwtSettings.fromJson(json(text)))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("jwt settings: ");
  }

  private static JsonNode json(final String text) {
    try {
      return new ObjectMapper().readTree(text);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void assertInvalid(final ThrowingCallable call, final String mentions) {
    assertThatThrownBy(call).isInstanceOf(InvalidRequestException.class).hasMessageContaining(mentions);
  }
}
