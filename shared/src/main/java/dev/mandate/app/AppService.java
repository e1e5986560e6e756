package dev.mandate.app;

import dev.mandate.api.ApiException;
import dev.mandate.api.ApiRequest;
import dev.mandate.api.Json;
import dev.mandate.enclave.protocol.HttpEnvelope;
import dev.mandate.signing.EnclaveGateway;
import dev.mandate.signing.RecordRef;
import dev.mandate.store.Store;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Apps and their credentials. Every request carries {@code Authorization: Basic
 * base64(app_id:app_secret)} and {@code privy-app-id}; both must name the same app and the secret
 * must match. Secrets are stored only as SHA-256 hashes: they are long random strings, so a slow
 * password hash would add latency to every request without adding protection.
 */
public final class AppService {
  public static final String KIND = "app";
  /** How long a verified credential is trusted without another read; bounds how late a rotation bites. */
  private static final Duration CACHE_TTL = Duration.ofSeconds(60);

  private final Store store;
  private final EnclaveGateway enclave;
  private final Clock clock;
  private final Map<String, Cached> verified = new ConcurrentHashMap<>();

  private record Cached(byte[] secretHash, Instant until) {}

  public AppService(final Store store, final EnclaveGateway enclave, final Clock clock) {
    this.store = store;
    this.enclave = enclave;
    this.clock = clock;
  }

  /** The authenticated app id, or a 401 with Privy's message. */
  public String authenticate(final ApiRequest request) {
    final String appId = request.header("privy-app-id").map(String::trim).orElseThrow(ApiException::badAppCredentials);
    final String[] credentials = basicCredentials(request.header("authorization"));
    if (!credentials[0].equals(appId) || appId.isEmpty() || appId.length() > 128) {
      throw ApiException.badAppCredentials();
    }
    final byte[] presented = sha256(credentials[1]);
    final Cached cached = verified.get(appId);
    if (cached != null && cached.until().isAfter(clock.instant()) && MessageDigest.isEqual(cached.secretHash(), presented)) {
      return appId;
    }
    final byte[] stored = storedHash(appId).orElseThrow(ApiException::badAppCredentials);
    if (!MessageDigest.isEqual(stored, presented)) {
      throw ApiException.badAppCredentials();
    }
    verified.put(appId, new Cached(stored, clock.instant().plus(CACHE_TTL)));
    return appId;
  }

  /**
   * The app named by {@code privy-app-id}, for routes where a user's JWT (verified later, in the
   * enclave) stands in for the app secret; 401 when no such app exists.
   */
  public String requireExisting(final ApiRequest request) {
    final String appId = request.header("privy-app-id").map(String::trim).orElseThrow(ApiException::badAppCredentials);
    if (appId.isEmpty() || appId.length() > 128 || storedHash(appId).isEmpty()) {
      throw ApiException.badAppCredentials();
    }
    return appId;
  }

  /**
   * Makes sure an app with these credentials exists (the local runner's dev app, the admin command).
   * An existing app's secret is replaced when it differs.
   */
  public void ensureApp(final String appId, final String secret) {
    final String hash = HexFormat.of().formatHex(sha256(secret));
    final boolean current = store.get(appId, KIND, appId)
        .map(item -> hash.equals(Json.parseStored(item.doc()).path("secret_sha256").asText()))
        .orElse(false);
    if (current) {
      return;
    }
    // The enclave seals the record (PUT /v1/apps/{id} is never routed from HTTP).
    final HttpEnvelope http = new HttpEnvelope("PUT", "http://localhost", "/v1/apps/" + appId,
        Json.object().put("secret_sha256", hash).toString(), Map.of("privy-app-id", appId), Optional.empty());
    enclave.execute(appId, http, List.of(new RecordRef(KIND, appId)), false, Map.of());
    verified.remove(appId);
  }

  /**
   * The lowercase hex SHA-256 of the app secret in a request's Basic credentials, if it has them:
   * what the enclave compares with the app's sealed record.
   */
  public static Optional<String> presentedSecretSha256(final ApiRequest request) {
    final Optional<String> header = request.header("authorization");
    if (header.isEmpty() || !header.get().trim().regionMatches(true, 0, "Basic ", 0, 6)) {
      return Optional.empty();
    }
    try {
      return Optional.of(HexFormat.of().formatHex(sha256(basicCredentials(header)[1])));
    } catch (ApiException malformed) {
      return Optional.empty();
    }
  }

  /** Whether the request carries Basic credentials at all (well formed or not): nothing is decoded or hashed. */
  public static boolean presentsBasicCredentials(final ApiRequest request) {
    return request.header("authorization").filter(h -> h.trim().regionMatches(true, 0, "Basic ", 0, 6)).isPresent();
  }

  private Optional<byte[]> storedHash(final String appId) {
    return store.get(appId, KIND, appId)
        .map(item -> Json.parseStored(item.doc()).path("secret_sha256").asText(""))
        .filter(hex -> hex.length() == 64)
        .map(hex -> HexFormat.of().parseHex(hex));
  }

  private static String[] basicCredentials(final Optional<String> header) {
    final String value = header.orElseThrow(ApiException::badAppCredentials).trim();
    if (value.length() < 6 || !value.regionMatches(true, 0, "Basic ", 0, 6)) {
      throw ApiException.badAppCredentials();
    }
    final String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(value.substring(6).trim()), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiException.badAppCredentials();
    }
    final int colon = decoded.indexOf(':');
    if (colon <= 0) {
      throw ApiException.badAppCredentials();
    }
    return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
  }

  static byte[] sha256(final String text) {
    return dev.mandate.store.Sha256.fresh().digest(text.getBytes(StandardCharsets.UTF_8));
  }
}
