package dev.mandate.enclave.authorization;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;

/** The (r, s) pair of a P-256 ECDSA signature, decoded strictly; both are known to be in [1, n-1]. */
record EcdsaSignature(BigInteger r, BigInteger s) {
  /** SEQUENCE header + two INTEGERs of at most 33 bytes each. */
  private static final int MAX_DER_LENGTH = 2 + 2 * (2 + 33);
  private static final int P1363_LENGTH = 64;

  /**
   * Decodes ASN.1 DER exactly: short-form lengths, minimal non-negative INTEGERs, nothing after
   * the SEQUENCE. BER leniency here would make signatures malleable (Wycheproof tests for this).
   */
  static Optional<EcdsaSignature> fromDer(final byte[] der) {
    if (der == null || der.length < 8 || der.length > MAX_DER_LENGTH) {
      return Optional.empty();
    }
    if (der[0] != 0x30 || (der[1] & 0xff) != der.length - 2) {
      return Optional.empty();
    }
    final Optional<BigInteger> r = readInteger(der, 2);
    if (r.isEmpty()) {
      return Optional.empty();
    }
    final int sOffset = 2 + 2 + (der[3] & 0xff);
    final Optional<BigInteger> s = readInteger(der, sOffset);
    if (s.isEmpty() || sOffset + 2 + (der[sOffset + 1] & 0xff) != der.length) {
      return Optional.empty();
    }
    return inRange(r.get(), s.get());
  }

  private static Optional<BigInteger> readInteger(final byte[] der, final int offset) {
    if (offset + 2 > der.length || der[offset] != 0x02) {
      return Optional.empty();
    }
    final int length = der[offset + 1] & 0xff;
    final int start = offset + 2;
    if (length == 0 || length > 33 || start + length > der.length) {
      return Optional.empty();
    }
    final boolean negative = (der[start] & 0x80) != 0;
    final boolean paddedNeedlessly = length > 1 && der[start] == 0 && (der[start + 1] & 0x80) == 0;
    if (negative || paddedNeedlessly) {
      return Optional.empty();
    }
    return Optional.of(new BigInteger(1, Arrays.copyOfRange(der, start, start + length)));
  }

  /** Decodes IEEE P1363: exactly 32 bytes of r then 32 bytes of s. */
  static Optional<EcdsaSignature> fromP1363(final byte[] rs) {
    if (rs == null || rs.length != P1363_LENGTH) {
      return Optional.empty();
    }
    return inRange(
        new BigInteger(1, Arrays.copyOfRange(rs, 0, 32)),
        new BigInteger(1, Arrays.copyOfRange(rs, 32, 64)));
  }

  private static Optional<EcdsaSignature> inRange(final BigInteger r, final BigInteger s) {
    final boolean ok =
        r.signum() > 0 && s.signum() > 0
            && r.compareTo(P256PublicKey.ORDER) < 0 && s.compareTo(P256PublicKey.ORDER) < 0;
    return ok ? Optional.of(new EcdsaSignature(r, s)) : Optional.empty();
  }
}
