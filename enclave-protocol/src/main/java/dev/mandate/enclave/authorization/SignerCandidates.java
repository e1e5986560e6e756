package dev.mandate.enclave.authorization;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The P-256 keys that could have made a request's authorization signatures, recovered from the
 * signatures and the payload alone (no key store): at most two per signature and accepted encoding
 * in practice, four in theory. The host uses their {@link P256PublicKey#fingerprint() fingerprints}
 * to load exactly the session keys a request can use, however many a user has; the enclave still
 * verifies every signature and every record.
 */
public final class SignerCandidates {
  private SignerCandidates() {}

  /** Every key that could have made one of the header's signatures over the payload. */
  public static Set<P256PublicKey> of(final AuthorizationPayload payload, final SignatureHeader header) {
    final Set<P256PublicKey> keys = new LinkedHashSet<>();
    perSignature(payload, header).forEach(keys::addAll);
    return keys;
  }

  /** The keys that could have made each signature of the header, in header order. */
  public static List<Set<P256PublicKey>> perSignature(final AuthorizationPayload payload, final SignatureHeader header) {
    final List<byte[]> digests = payload.acceptedEncodings().stream().map(P256PublicKey::sha256).toList();
    final List<Set<P256PublicKey>> all = new java.util.ArrayList<>();
    for (final byte[] der : header.raw()) {
      final Set<P256PublicKey> keys = new LinkedHashSet<>();
      EcdsaSignature.fromDer(der).ifPresent(signature ->
          digests.forEach(digest -> keys.addAll(P256PublicKey.recover(digest, signature))));
      all.add(keys);
    }
    return all;
  }
}
