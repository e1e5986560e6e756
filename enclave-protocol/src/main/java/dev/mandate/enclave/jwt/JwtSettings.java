package dev.mandate.enclave.jwt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.enclave.InvalidRequestException;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * How an app's user JWTs are verified: where the keys come from (a JWKS URL or PEM public keys,
 * exactly one of the two), which issuer and audience to insist on, which algorithms to accept and
 * how much clock skew to tolerate. Stored in the app record as {@link #toJson()}.
 *
 * <p>Only asymmetric algorithms can be allowed: with HMAC the "key" would be a shared secret the
 * app's auth provider and Mandate both hold, and a public key mistaken for an HMAC secret is the
 * classic algorithm-confusion forgery.
 *
 * <p>Issuer is required, and so is audience with a JWKS URL: without them any token signed by a
 * shared key set (Firebase, Google, Apple sign-in serve every customer from one JWKS) would verify.
 *
 * @param jwksUrl https URL of the auth provider's JWKS, on a public address ({@link JwksUrls})
 * @param pemPublicKeys {@code -----BEGIN PUBLIC KEY-----} texts: RSA (2048 bits or more) or EC
 *     P-256
 * @param issuer the {@code iss} every token must carry (required)
 * @param audience a value the {@code aud} claim must contain (required with a JWKS URL)
 * @param allowedAlgorithms JWS {@code alg} names; default {@link #DEFAULT_ALGORITHMS}
 * @param clockSkew tolerance on {@code exp} and {@code nbf}; default 30 s, at most 5 min
 */
public record JwtSettings(
    Optional<URI> jwksUrl,
    List<String> pemPublicKeys,
    Optional<String> issuer,
    Optional<String> audience,
    Set<String> allowedAlgorithms,
    Duration clockSkew) {

  public static final Set<String> DEFAULT_ALGORITHMS = Set.of("RS256", "ES256");
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(30);
  /** Algorithms an app may allow: RSA PKCS#1 v1.5, RSA-PSS and ECDSA. Never {@code none} or HS*. */
  public static final Set<String> SUPPORTED_ALGORITHMS =
      Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512");

  private static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
  private static final int MAX_PEM_KEYS = 10;
  private static final int MAX_TEXT_LENGTH = 2048;
  private static final Set<String> JSON_FIELDS = Set.of(
      "jwks_url", "pem_public_keys", "issuer", "audience", "allowed_algorithms", "clock_skew_seconds");

  public JwtSettings {
    Objects.requireNonNull(jwksUrl, "jwksUrl");
    Objects.requireNonNull(issuer, "issuer");
    Objects.requireNonNull(audience, "audience");
    Objects.requireNonNull(clockSkew, "clockSkew");
    pemPublicKeys = List.copyOf(Objects.requireNonNull(pemPublicKeys, "pemPublicKeys"));
    allowedAlgorithms = Set.copyOf(Objects.requireNonNull(allowedAlgorithms, "allowedAlgorithms"));
    if (jwksUrl.isPresent() == !pemPublicKeys.isEmpty()) {
      throw invalid("set exactly one of jwks_url and pem_public_keys");
    }
    jwksUrl.ifPresent(JwtSettings::checkJwksUrl);
    checkPemKeys(pemPublicKeys);
    issuer.ifPresentOrElse(value -> checkText("issuer", value), () -> {
      throw invalid("issuer is required");
    });
    audience.ifPresent(value -> checkText("audience", value));
    if (jwksUrl.isPresent() && audience.isEmpty()) {
      throw invalid("audience is required with a jwks_url");
    }
    checkAlgorithms(allowedAlgorithms);
    if (clockSkew.isNegative() || clockSkew.compareTo(MAX_CLOCK_SKEW) > 0) {
      throw invalid("clock_skew_seconds must be between 0 and 300");
    }
  }

  /** Keys from a JWKS URL, with the default algorithms and skew. */
  public static JwtSettings jwks(final URI url, final String issuer, final String audience) {
    return new JwtSettings(Optional.of(url), List.of(), Optional.of(issuer), Optional.of(audience),
        DEFAULT_ALGORITHMS, DEFAULT_CLOCK_SKEW);
  }

  /** Keys given as PEM, with the default algorithms and skew and no audience check. */
  public static JwtSettings pem(final List<String> publicKeys, final String issuer) {
    return new JwtSettings(Optional.empty(), publicKeys, Optional.of(issuer), Optional.empty(),
        DEFAULT_ALGORITHMS, DEFAULT_CLOCK_SKEW);
  }

  public JwtSettings withIssuer(final String value) {
    return new JwtSettings(jwksUrl, pemPublicKeys, Optional.of(value), audience, allowedAlgorithms, clockSkew);
  }

  public JwtSettings withAudience(final String value) {
    return new JwtSettings(jwksUrl, pemPublicKeys, issuer, Optional.of(value), allowedAlgorithms, clockSkew);
  }

  public JwtSettings withAllowedAlgorithms(final Set<String> value) {
    return new JwtSettings(jwksUrl, pemPublicKeys, issuer, audience, value, clockSkew);
  }

  public JwtSettings withClockSkew(final Duration value) {
    return new JwtSettings(jwksUrl, pemPublicKeys, issuer, audience, allowedAlgorithms, value);
  }

  /**
   * {@code {"jwks_url"|"pem_public_keys", "issuer"?, "audience"?, "allowed_algorithms",
   * "clock_skew_seconds"}}; algorithms sorted, so equal settings give equal JSON.
   */
  public ObjectNode toJson() {
    final ObjectNode json = dev.mandate.enclave.records.Docs.object();
    jwksUrl.ifPresent(url -> json.put("jwks_url", url.toString()));
    if (!pemPublicKeys.isEmpty()) {
      final ArrayNode keys = json.putArray("pem_public_keys");
      pemPublicKeys.forEach(keys::add);
    }
    issuer.ifPresent(value -> json.put("issuer", value));
    audience.ifPresent(value -> json.put("audience", value));
    final ArrayNode algorithms = json.putArray("allowed_algorithms");
    new TreeSet<>(allowedAlgorithms).forEach(algorithms::add);
    json.put("clock_skew_seconds", clockSkew.toSeconds());
    return json;
  }

  /**
   * Reads {@link #toJson()}'s form, from storage or from an admin request; absent
   * {@code allowed_algorithms} and {@code clock_skew_seconds} take the defaults.
   *
   * @throws InvalidRequestException naming the offending field
   */
  public static JwtSettings fromJson(final JsonNode json) {
    if (json == null || !json.isObject()) {
      throw invalid("must be a JSON object");
    }
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      final String name = names.next();
      if (!JSON_FIELDS.contains(name)) {
        throw invalid("unknown field " + (name.length() > 64 ? name.substring(0, 64) : name));
      }
    }
    return new JwtSettings(
        optionalText(json, "jwks_url").map(JwtSettings::uri),
        json.has("pem_public_keys") ? texts(json, "pem_public_keys") : List.of(),
        optionalText(json, "issuer"),
        optionalText(json, "audience"),
        json.has("allowed_algorithms") ? Set.copyOf(texts(json, "allowed_algorithms")) : DEFAULT_ALGORITHMS,
        json.has("clock_skew_seconds")
            ? Duration.ofSeconds(seconds(json.get("clock_skew_seconds")))
            : DEFAULT_CLOCK_SKEW);
  }

  private static Optional<String> optionalText(final JsonNode json, final String field) {
    final JsonNode node = json.get(field);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw invalid(field + " must be a string");
    }
    return Optional.of(node.asText());
  }

  private static List<String> texts(final JsonNode json, final String field) {
    final JsonNode node = json.get(field);
    if (!node.isArray()) {
      throw invalid(field + " must be an array of strings");
    }
    final List<String> values = new ArrayList<>();
    for (final JsonNode item : node) {
      if (!item.isTextual()) {
        throw invalid(field + " must be an array of strings");
      }
      values.add(item.asText());
    }
    return values;
  }

  private static long seconds(final JsonNode node) {
    if (!node.canConvertToExactIntegral() || !node.canConvertToLong()) {
      throw invalid("clock_skew_seconds must be an integer");
    }
    return node.asLong();
  }

  private static URI uri(final String text) {
    if (text.length() > MAX_TEXT_LENGTH) {
      throw invalid("jwks_url is too long");
    }
    try {
      return new URI(text);
    } catch (URISyntaxException e) {
      throw invalid("jwks_url is not a URL");
    }
  }

  private static void checkJwksUrl(final URI url) {
    final String host = Optional.ofNullable(url.getHost()).orElse("");
    if (!url.isAbsolute() || host.isEmpty() || url.getRawUserInfo() != null || url.getRawFragment() != null) {
      throw invalid("jwks_url must be an absolute https URL without credentials or fragment");
    }
    if (url.toString().length() > MAX_TEXT_LENGTH) {
      throw invalid("jwks_url is too long");
    }
    JwksUrls.check(url);
  }

  private static void checkPemKeys(final List<String> keys) {
    if (keys.size() > MAX_PEM_KEYS) {
      throw invalid("pem_public_keys may hold at most " + MAX_PEM_KEYS + " keys");
    }
    for (int i = 0; i < keys.size(); i++) {
      if (PemKeys.parse(keys.get(i)).isEmpty()) {
        throw invalid(
            "pem_public_keys[" + i + "] must be a -----BEGIN PUBLIC KEY----- RSA (2048+ bits) or EC P-256 key");
      }
    }
  }

  private static void checkText(final String field, final String value) {
    if (value.isBlank() || value.length() > MAX_TEXT_LENGTH) {
      throw invalid(field + " must be a non-blank string of at most " + MAX_TEXT_LENGTH + " characters");
    }
  }

  private static void checkAlgorithms(final Set<String> algorithms) {
    if (algorithms.isEmpty() || !SUPPORTED_ALGORITHMS.containsAll(algorithms)) {
      throw invalid("allowed_algorithms must be a non-empty subset of " + new TreeSet<>(SUPPORTED_ALGORITHMS));
    }
  }

  private static InvalidRequestException invalid(final String why) {
    return new InvalidRequestException("jwt settings: " + why);
  }
}
