package dev.mandate.enclave.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.config.Settings;
import dev.mandate.enclave.AuthorizationException;
import dev.mandate.enclave.Ids;
import dev.mandate.enclave.InvalidRequestException;
import dev.mandate.enclave.authorization.P256PublicKey;
import dev.mandate.enclave.jwt.InvalidJwtException;
import dev.mandate.enclave.jwt.JwtSettings;
import dev.mandate.enclave.jwt.JwtVerifier;
import dev.mandate.enclave.jwt.VerifiedJwt;
import dev.mandate.enclave.protocol.Executed;
import dev.mandate.enclave.protocol.SealedRecord;
import dev.mandate.enclave.records.Docs;
import dev.mandate.enclave.records.QuorumRecord;
import dev.mandate.enclave.records.RecordSealer;
import dev.mandate.enclave.records.SessionKeyRecord;
import dev.mandate.enclave.records.UserRecord;
import dev.mandate.enclave.records.WalletRecord;
import dev.mandate.enclave.session.HpkeEnvelope;
import dev.mandate.enclave.session.HpkeSealer;
import dev.mandate.enclave.session.SessionKey;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Authenticated signers: a user's login JWT, verified here against the app's sealed JWT settings,
 * becomes a short-lived P-256 session key generated here. Only the key's public half, expiry and
 * one-time flag are stored (sealed); the private half leaves once — HPKE-sealed to the caller's key
 * ({@code /v1/wallets/authenticate}, what Privy's SDKs call) or in the TLS response
 * ({@code /v1/signer/authenticate}, one-time use).
 */
final class SessionActions {
  static final String SETTINGS_KIND = "jwt_settings";
  static final String SETTINGS_ID = "default";
  /** How long a session key from {@code /v1/wallets/authenticate} lives (Privy's SDK caches it until then). */
  static final Duration SESSION_TTL = Duration.ofSeconds(Settings.getInt("MANDATE_SESSION_KEY_TTL_SECONDS", 900));
  /** How long a one-time key from {@code /v1/signer/authenticate} may wait for its one use. */
  static final Duration ONE_TIME_TTL = Duration.ofSeconds(Settings.getInt("MANDATE_ONE_TIME_KEY_TTL_SECONDS", 300));

  private final WalletActions wallets;
  private final JwtVerifier verifier;

  SessionActions(final WalletActions wallets, final Clock clock) {
    this.wallets = wallets;
    this.verifier = JwtVerifier.builder().clock(clock).build();
  }

  /** {@code PUT /v1/jwt_settings} (a Mandate admin endpoint): the app's JWKS URL or PEM keys, issuer, audience. */
  Executed configure(final Request request, final VerifiedRecords records, final RecordSealer sealer) {
    final JwtSettings settings = JwtSettings.fromJson(request.body());
    final ObjectNode doc = settings.toJson();
    final SealedRecord sealed = sealer.seal(request.appId, SETTINGS_KIND, SETTINGS_ID, doc.toString());
    final boolean exists = records.find(SETTINGS_KIND, SETTINGS_ID).isPresent();
    return new Executed(Optional.empty(), Optional.of(sealed), exists ? List.of() : List.of(sealed),
        exists ? List.of(sealed) : List.of(), List.of());
  }

  /** {@code POST /v1/wallets/authenticate}: the session key sealed to {@code recipient_public_key}. */
  Executed authenticateHpke(final Request request, final VerifiedRecords records, final RecordSealer sealer,
      final FetchedJwks jwks) {
    final ObjectNode body = request.body();
    Fields.allowOnly(body, java.util.Set.of("user_jwt", "encryption_type", "recipient_public_key"));
    if (!"HPKE".equals(body.path("encryption_type").asText())) {
      throw new InvalidRequestException("encryption_type must be \"HPKE\".");
    }
    final String recipient = Fields.requiredText(body, "recipient_public_key");
    final List<SealedRecord> created = new ArrayList<>();
    final UserRecord user = user(request, records, sealer, Fields.requiredText(body, "user_jwt"), jwks, created);
    try (SessionKey key = SessionKey.generate()) {
      final HpkeEnvelope sealed = HpkeSealer.sealTo(recipient, key.privateKeyPkcs8Base64().getBytes(StandardCharsets.UTF_8));
      final long expiresAt = request.now.plus(SESSION_TTL).toEpochMilli();
      created.add(sessionRecord(request, sealer, user, key, expiresAt, false));
      final ObjectNode result = Docs.object();
      result.putObject("encrypted_authorization_key").put("encryption_type", "HPKE")
          .put("encapsulated_key", sealed.encapsulatedKeyBase64()).put("ciphertext", sealed.ciphertextBase64());
      result.put("expires_at", expiresAt);
      final ArrayNode list = result.putArray("wallets");
      ownedWallets(records, user).forEach(w -> list.add(w.toApiJson()));
      return new Executed(Optional.of(result.toString()), Optional.empty(), created, List.of(), List.of());
    }
  }

  /**
   * {@code POST /v1/signer/authenticate}: a one-time session key in the response, with the user's id
   * and wallet. A user without a wallet gets one, owned by the user.
   */
  Executed authenticateSigner(final Request request, final VerifiedRecords records, final RecordSealer sealer,
      final String jwt, final FetchedJwks jwks) {
    final List<SealedRecord> created = new ArrayList<>();
    final UserRecord user = user(request, records, sealer, jwt, jwks, created);
    final String walletId = ownedWallets(records, user).stream().findFirst().map(WalletRecord::id)
        .orElseGet(() -> newWallet(request, records, sealer, user, created));
    try (SessionKey key = SessionKey.generate()) {
      created.add(sessionRecord(request, sealer, user, key, request.now.plus(ONE_TIME_TTL).toEpochMilli(), true));
      final ObjectNode result = Docs.object()
          .put("authenticated_signer", key.privateKeyPkcs8Base64())
          .put("user_id", user.id())
          .put("wallet_id", walletId);
      return new Executed(Optional.of(result.toString()), Optional.empty(), created, List.of(), List.of());
    }
  }

  /** The user the JWT's subject is linked to (custom_auth), created on first use. */
  private UserRecord user(final Request request, final VerifiedRecords records, final RecordSealer sealer,
      final String jwt, final FetchedJwks jwks, final List<SealedRecord> created) {
    final JwtSettings settings = records.find(SETTINGS_KIND, SETTINGS_ID)
        .map(r -> JwtSettings.fromJson(Docs.parse(r.doc())))
        .orElseThrow(() -> new InvalidRequestException(
            "JWT verification is not configured for this app (PUT /v1/jwt_settings).", "jwt_not_configured"));
    final Optional<String> keys = jwks.keysFor(settings);
    final VerifiedJwt verified;
    try {
      verified = verifier.verifyWithKeys(jwt, settings, keys);
    } catch (InvalidJwtException e) {
      throw new AuthorizationException("invalid_user_jwt", "Invalid user JWT: " + e.getMessage());
    }
    final String subject = verified.subject();
    final Optional<UserRecord> existing = records.all(UserRecord.KIND, r -> UserRecord.fromDoc(r.doc())).stream()
        .filter(u -> u.customAuthId().filter(subject::equals).isPresent())
        .findFirst();
    if (existing.isPresent()) {
      return existing.get();
    }
    final long seconds = request.now.getEpochSecond();
    final ArrayNode accounts = Docs.object().arrayNode();
    accounts.addObject().put("type", "custom_auth").put("custom_user_id", subject)
        .put("verified_at", seconds).put("first_verified_at", seconds).put("latest_verified_at", seconds);
    final UserRecord user = new UserRecord(UserRecord.ID_PREFIX + Ids.mint(), accounts, Docs.object(), seconds);
    created.add(sealer.seal(request.appId, UserRecord.KIND, user.id(), user.toDoc()));
    return user;
  }

  /** Wallets (among the records the host loaded for this user) whose owner quorum names the user. */
  private static List<WalletRecord> ownedWallets(final VerifiedRecords records, final UserRecord user) {
    return records.all(WalletRecord.KIND, r -> WalletRecord.fromDoc(r.doc())).stream()
        .filter(w -> w.ownerId().flatMap(records::quorum).filter(q -> q.userIds().contains(user.id())).isPresent())
        .sorted(java.util.Comparator.comparingLong(WalletRecord::createdAt))
        .toList();
  }

  private String newWallet(final Request request, final VerifiedRecords records, final RecordSealer sealer,
      final UserRecord user, final List<SealedRecord> created) {
    final QuorumRecord owner = new QuorumRecord(Ids.mint(), List.of(), List.of(user.id()), List.of(), OptionalInt.of(1),
        Optional.empty(), request.now.toEpochMilli());
    created.add(sealer.seal(request.appId, QuorumRecord.KIND, owner.id(), owner.toDoc()));
    final SealedRecord wallet = wallets.generate(request, sealer, Optional.of(owner.id()));
    created.add(wallet);
    return wallet.id();
  }

  private static SealedRecord sessionRecord(final Request request, final RecordSealer sealer, final UserRecord user,
      final SessionKey key, final long expiresAt, final boolean oneTime) {
    final String publicKey = key.publicKeySpkiBase64();
    final String id = SessionKeyRecord.idFor(user.id(), P256PublicKey.parse(publicKey).fingerprint());
    final SessionKeyRecord record = new SessionKeyRecord(id, user.id(), publicKey, expiresAt, oneTime, false, request.now.toEpochMilli());
    return sealer.seal(request.appId, SessionKeyRecord.KIND, record.id(), record.toDoc());
  }

  static JsonNode settingsJson(final VerifiedRecords records) {
    return records.find(SETTINGS_KIND, SETTINGS_ID).map(r -> (JsonNode) Docs.parse(r.doc())).orElse(Docs.object());
  }
}
