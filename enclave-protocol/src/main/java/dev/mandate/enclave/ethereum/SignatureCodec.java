package dev.mandate.enclave.ethereum;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;

/**
 * Strict decoders for ECDSA signature encodings. Strict on purpose: BER leniency (long-form
 * lengths, padded integers, trailing bytes) is how signature malleability gets in.
 */
final class SignatureCodec {
  private SignatureCodec() {}

  /** r‖s, 32 bytes each. */
  static Optional<BigInteger[]> parseP1363(final byte[] signature) {
    if (signature.length != 64) {
      return Optional.empty();
    }
    return Optional.of(new BigInteger[] {
        new BigInteger(1, Arrays.copyOfRange(signature, 0, 32)),
        new BigInteger(1, Arrays.copyOfRange(signature, 32, 64))});
  }

  /** Canonical DER {@code SEQUENCE { INTEGER r, INTEGER s }}; at most 72 bytes for secp256k1. */
  static Optional<BigInteger[]> parseDer(final byte[] der) {
    // Short-form lengths only: every valid secp256k1 signature is shorter than 128 bytes.
    if (der.length < 8 || der.length > 72 || der[0] != 0x30 || (der[1] & 0xff) != der.length - 2) {
      return Optional.empty();
    }
    final int[] offset = {2};
    final Optional<BigInteger> r = parseInteger(der, offset);
    final Optional<BigInteger> s = r.isPresent() ? parseInteger(der, offset) : Optional.empty();
    if (s.isEmpty() || offset[0] != der.length) {
      return Optional.empty();
    }
    return Optional.of(new BigInteger[] {r.get(), s.get()});
  }

  private static Optional<BigInteger> parseInteger(final byte[] der, final int[] offset) {
    int at = offset[0];
    if (at + 2 > der.length || der[at] != 0x02) {
      return Optional.empty();
    }
    final int length = der[at + 1] & 0xff;
    at += 2;
    if (length == 0 || length > 33 || at + length > der.length) {
      return Optional.empty();
    }
    if ((der[at] & 0x80) != 0) {
      return Optional.empty(); // negative
    }
    if (length > 1 && der[at] == 0 && (der[at + 1] & 0x80) == 0) {
      return Optional.empty(); // non-minimal padding
    }
    offset[0] = at + length;
    return Optional.of(new BigInteger(1, Arrays.copyOfRange(der, at, at + length)));
  }
}
