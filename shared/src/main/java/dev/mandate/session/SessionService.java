package dev.mandate.session;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.api.ApiException;
import dev.mandate.api.ApiResponse;
import dev.mandate.api.Json;
import dev.mandate.api.Route;
import dev.mandate.enclave.jwt.InvalidJwtException;
import dev.mandate.enclave.jwt.JwtSettings;
import dev.mandate.enclave.jwt.JwtVerifier;
import dev.mandate.enclave.protocol.Executed;
import dev.mandate.enclave.protocol.HttpEnvelope;
import dev.mandate.enclave.records.Docs;
import dev.mandate.signing.EnclaveGateway;
import dev.mandate.signing.Pointers;
import dev.mandate.signing.RecordRef;
import dev.mandate.store.Item;
import dev.mandate.store.Store;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Authenticated signers: {@code POST /v1/wallets/authenticate} (and its legacy and {@code /api} forms,
 * what Privy's SDKs call), {@code POST /v1/signer/authenticate}, and Mandate's JWT settings admin
 * endpoint {@code GET|PUT /v1/jwt_settings}.
 *
 * <p>The host verifies the JWT first (early, precise errors, and a JWKS refetch when a new key id
 * appears), then hands the enclave the token with the key set it fetched; the enclave verifies it
 * again against the app's sealed settings before it mints a session key.
 */
public final class SessionService {
  private static final int MAX_WALLETS = 100;
  /** Logins' {@code sub} claims become lookup ids; the same bound as {@code custom_user_id}. */
  private static final int MAX_SUBJECT = 256;
  private static final int MAX_ATTEMPTS = 3;

  private final Store store;
  private final EnclaveGateway enclave;
  private final JwtVerifier verifier;

  public SessionService(final Store store, final EnclaveGateway enclave, final JwtVerifier verifier) {
    this.store = store;
    this.enclave = enclave;
    this.verifier = verifier;
  }

  public List<Route> routes() {
    return List.of(
        new Route("POST", "/v1/wallets/authenticate", this::authenticate),
        new Route("POST", "/v1/user_signers/authenticate", this::authenticate),
        new Route("POST", "/v1/signer/authenticate", this::signer, Route.Access.APP_SECRET_OR_USER_JWT),
        new Route("PUT", "/v1/jwt_settings", this::configure),
        new Route("GET", "/v1/jwt_settings", this::settingsView));
  }

  ApiResponse authenticate(final Route.Call call) {
    final ObjectNode body = Json.bodyObject(call.request().body());
    final String jwt = text(body, "user_jwt");
    return run(call.appId(), enclave.envelope(call.request()), jwt);
  }

  /** The JWT comes as a Bearer token (or {@code user_jwt}); the enclave reads it from the body. */
  ApiResponse signer(final Route.Call call) {
    final ObjectNode body = Json.bodyObject(call.request().body());
    final String jwt = call.request().header("authorization")
        .filter(v -> v.regionMatches(true, 0, "Bearer ", 0, 7))
        .map(v -> v.substring(7).trim())
        .orElseGet(() -> text(body, "user_jwt"));
    final HttpEnvelope original = enclave.envelope(call.request());
    final HttpEnvelope envelope = new HttpEnvelope(original.method(), original.baseUrl(), original.path(),
        Json.object().put("user_jwt", jwt).toString(), original.privyHeaders(), Optional.empty());
    return run(call.appId(), envelope, jwt);
  }

  private ApiResponse run(final String appId, final HttpEnvelope envelope, final String jwt) {
    final JwtSettings settings = settings(appId).orElseThrow(() -> new ApiException(400, "jwt_not_configured",
        "JWT verification is not configured for this app (PUT /v1/jwt_settings)."));
    final String subject;
    try {
      subject = verifier.verify(jwt, settings).subject();
    } catch (InvalidJwtException e) {
      throw e.reason() == InvalidJwtException.Reason.KEYS_UNAVAILABLE
          ? new ApiException(503, "jwks_unavailable", "The app's JWKS could not be fetched; try again.")
          : new ApiException(401, "invalid_user_jwt", "Invalid user JWT: " + e.getMessage());
    }
    if (subject.length() > MAX_SUBJECT) {
      throw new ApiException(401, "invalid_user_jwt", "Invalid user JWT: the sub claim is longer than " + MAX_SUBJECT + " characters.");
    }
    final Map<String, String> inputs = verifier.publicKeys(settings)
        .map(jwks -> Map.of(dev.mandate.enclave.protocol.Execute.JWKS, jwks)).orElse(Map.of());
    // Concurrent first logins race to create the same user (or the user's first wallet); the losers'
    // conditional writes fail, and a retry finds what the winner created.
    for (int attempt = 1; ; attempt++) {
      try {
        final Executed executed = enclave.execute(appId, envelope, roots(appId, subject), false, inputs);
        return ApiResponse.ok(Json.parseStored(executed.result().orElseThrow()));
      } catch (ApiException e) {
        if (e.status() != 409 || attempt >= MAX_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  /** The settings, the user the subject is linked to (with its session keys) and that user's wallets. */
  private List<RecordRef> roots(final String appId, final String subject) {
    final List<RecordRef> roots = new ArrayList<>(List.of(new RecordRef(RecordRef.JWT_SETTINGS, "default")));
    final Optional<String> userId =
        store.get(appId, Pointers.CUSTOM_AUTH, subject).map(p -> Json.parseStored(p.doc()).path("user_id").asText());
    userId.ifPresent(user -> {
      roots.add(RecordRef.user(user));
      store.listByIdPrefix(appId, Pointers.USER_WALLET, Pointers.userPrefix(user), Optional.empty(), MAX_WALLETS)
          .items().forEach(p -> roots.add(RecordRef.wallet(Json.parseStored(p.doc()).path("wallet_id").asText())));
    });
    return roots;
  }

  ApiResponse configure(final Route.Call call) {
    requireFetchableJwks(Json.bodyObject(call.request().body()));
    final Executed executed = enclave.execute(call, List.of(new RecordRef(RecordRef.JWT_SETTINGS, "default")), false);
    return ApiResponse.ok(Docs.parse(executed.primary().orElseThrow().doc()));
  }

  ApiResponse settingsView(final Route.Call call) {
    return store.get(call.appId(), RecordRef.JWT_SETTINGS, "default")
        .map(item -> ApiResponse.ok(Json.parseStored(item.doc())))
        .orElseThrow(() -> ApiException.notFound("JWT verification is not configured for this app."));
  }

  /**
   * Where the enclave checks how a JWKS URL is written, the host (which has the network) also resolves
   * its host now: one that resolves to a loopback, private, link-local or metadata address is refused
   * (400). Fetches check again, against DNS rebinding.
   */
  private static void requireFetchableJwks(final JsonNode settings) {
    final JsonNode url = settings.get("jwks_url");
    if (url == null || !url.isTextual() || url.asText().length() > 2048) {
      return; // absent, or not a string: the enclave refuses it with a precise message
    }
    final java.net.URI uri;
    try {
      uri = new java.net.URI(url.asText());
    } catch (java.net.URISyntaxException e) {
      return;
    }
    if (uri.getHost() == null) {
      return;
    }
    try {
      dev.mandate.enclave.jwt.JwksUrls.requireFetchable(uri);
    } catch (dev.mandate.enclave.InvalidRequestException e) {
      throw ApiException.invalid(e.getMessage());
    }
  }

  /** Sets an app's JWT settings from inside the process (the local runner's dev app). */
  public void configure(final String appId, final JsonNode settings) {
    requireFetchableJwks(settings);
    final HttpEnvelope envelope = new HttpEnvelope("PUT", "http://localhost", "/v1/jwt_settings", settings.toString(),
        Map.of("privy-app-id", appId), Optional.empty());
    enclave.execute(appId, envelope, List.of(new RecordRef(RecordRef.JWT_SETTINGS, "default")), false, Map.of());
  }

  private Optional<JwtSettings> settings(final String appId) {
    return store.get(appId, RecordRef.JWT_SETTINGS, "default").map(Item::doc).map(doc -> JwtSettings.fromJson(Docs.parse(doc)));
  }

  private static String text(final ObjectNode body, final String field) {
    final JsonNode value = body.get(field);
    if (value == null || !value.isTextual() || value.asText().isBlank()) {
      throw ApiException.invalid(field + " is required and must be a string.");
    }
    return value.asText();
  }
}
