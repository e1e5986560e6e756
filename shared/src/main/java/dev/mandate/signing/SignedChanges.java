package dev.mandate.signing;

import dev.mandate.enclave.InvalidRequestException;
import dev.mandate.enclave.authorization.AuthorizationPayload;
import dev.mandate.enclave.protocol.Executed;
import dev.mandate.enclave.protocol.HttpEnvelope;
import dev.mandate.store.Item;
import dev.mandate.store.Update;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A signed change is carried out once. When a request that carries authorization signatures changes
 * records, the digest of what the signatures cover (method, URL, body, privy headers: the payload, not
 * the signature bytes, which a relay could re-encode) is claimed in the same transaction as the change.
 * A replay of the same signed request finds the claim and changes nothing (409
 * {@code authorization_signature_used}): a relay cannot redo a change the owner has since undone.
 *
 * <p>The claim lives until the request's {@code privy-request-expiry} (after which the enclave refuses
 * the signature anyway), or for ever when it has none. It is anchored like every item, so deleting it
 * from the table does not free the signature: the next attempt is refused as tampering. Signing
 * requests ({@code /rpc}, {@code /raw_sign}) are not claimed here: sends are claimed by
 * {@code SendClaims}, and a repeated signature request only yields the same kind of signature again.
 */
public final class SignedChanges {
  public static final String KIND = "signed_change";
  public static final String CODE = "authorization_signature_used";
  /** Kept a little past the expiry, so clock skew between writers never frees a live signature. */
  private static final Duration MARGIN = Duration.ofMinutes(5);

  private SignedChanges() {}

  /** The claim to write with {@code executed}'s changes, if {@code http} is a signed change. */
  public static Optional<Update> claim(final String appId, final HttpEnvelope http, final Executed executed) {
    final boolean changes = !executed.created().isEmpty() || !executed.updated().isEmpty() || !executed.deleted().isEmpty();
    if (!changes || !signed(http) || signingRequest(http.path())) {
      return Optional.empty();
    }
    final Item claim = Item.of(appId, KIND, id(http), "{}");
    return Optional.of(Update.create(expiry(http).map(at -> claim.withExpiresAt(at.plus(MARGIN))).orElse(claim)));
  }

  private static boolean signed(final HttpEnvelope http) {
    return http.signatures().filter(s -> !s.isBlank()).isPresent();
  }

  private static boolean signingRequest(final String path) {
    return path.endsWith("/rpc") || path.endsWith("/raw_sign");
  }

  /** SHA-256 of the canonical payload the authorization signatures cover. */
  static String id(final HttpEnvelope http) {
    final byte[] payload = AuthorizationPayload.of(http.method(), AuthorizationPayload.url(http.baseUrl(), http.path()),
        http.body(), http.privyHeaders()).canonicalBytes();
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(payload));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Optional<Instant> expiry(final HttpEnvelope http) {
    try {
      return Optional.ofNullable(http.privyHeaders().get(AuthorizationPayload.REQUEST_EXPIRY)).map(String::trim)
          .map(Long::parseLong).map(Instant::ofEpochMilli);
    } catch (NumberFormatException | InvalidRequestException e) {
      return Optional.empty(); // the enclave refused a malformed expiry before anything changed
    }
  }
}
