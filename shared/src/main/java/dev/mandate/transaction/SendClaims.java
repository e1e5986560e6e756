package dev.mandate.transaction;

import dev.mandate.api.Idempotency;
import dev.mandate.api.Json;
import dev.mandate.api.Route;
import dev.mandate.enclave.authorization.Jcs;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

/**
 * One transaction per {@code eth_sendTransaction} request, however often it arrives. A request is
 * identified by the digest of what its authorization signature covers — wallet, method, path, the
 * RFC 8785 form of the body (so re-spacing or re-ordering it changes nothing), the idempotency key
 * and the expiry — and its claim points at the transaction it was signed into. A retry or a replay
 * of the same request (by the app, a relay, or after a lost broadcast answer) re-broadcasts that
 * transaction's bytes; the enclave is not asked to sign again, so Mandate never fills a new nonce
 * under an old signature.
 *
 * <p>Claimed are requests that carry an authorization signature (whoever relays them), and unsigned
 * ones that carry an idempotency key. An unsigned request without one is the app asking afresh each
 * time, as on Privy. A claim lives until the request's {@code privy-request-expiry} (after which the
 * enclave refuses the signature anyway) or, for a signed request without expiry, for as long as the
 * signature is valid: for ever (docs/security.md).
 */
public final class SendClaims {
  public static final String KIND = "send_claim";
  private static final String SIGNATURE = "privy-authorization-signature";
  private static final String EXPIRY = "privy-request-expiry";

  private SendClaims() {}

  /** The claim id of this request, if it is one Mandate sends at most once. */
  public static Optional<String> id(final Route.Call call, final String walletId) {
    final boolean signed = call.request().header(SIGNATURE).filter(v -> !v.isBlank()).isPresent();
    final Optional<String> idempotencyKey = call.request().header(Idempotency.HEADER);
    if (!signed && idempotencyKey.isEmpty()) {
      return Optional.empty();
    }
    final String path = call.request().path().startsWith("/api/") ? call.request().path().substring(4) : call.request().path();
    final String body = new String(Jcs.canonicalize(Json.bodyObject(call.request().body())), StandardCharsets.UTF_8);
    final String material = String.join("\n", walletId, call.request().method(), path, body,
        idempotencyKey.orElse(""), call.request().header(EXPIRY).orElse(""));
    return Optional.of(sha256(material));
  }

  /** When the claim may be forgotten: the request's own expiry, if it has one that parses. */
  public static Optional<Instant> expiry(final Route.Call call) {
    try {
      return call.request().header(EXPIRY).map(Long::parseLong).map(Instant::ofEpochMilli);
    } catch (NumberFormatException e) {
      return Optional.empty(); // the enclave refuses a malformed expiry before anything is signed
    }
  }

  private static String sha256(final String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
