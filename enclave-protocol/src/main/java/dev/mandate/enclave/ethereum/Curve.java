package dev.mandate.enclave.ethereum;

import java.math.BigInteger;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.math.ec.ECPoint;

/** secp256k1 constants shared by the backends and the key types. */
final class Curve {
  /** The group order. */
  static final BigInteger N =
      new BigInteger("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", 16);
  /** Largest S that EIP-2 (and Bitcoin's BIP-62/146) accepts: floor(N / 2). */
  static final BigInteger HALF_N = N.shiftRight(1);

  private static final byte[] N_BYTES = Rlp.unsignedBytes(N);

  private Curve() {}

  /** BouncyCastle's optimised curve (GLV endomorphism); created on first use, it costs a few ms. */
  static ECDomainParameters domain() {
    return Domain.PARAMS;
  }

  /** Decodes a SEC1 point (33 or 65 bytes) and checks that it is on the curve and not infinity. */
  static ECPoint decodePoint(final byte[] encoded) {
    if (encoded.length != 33 && encoded.length != 65) {
      throw new IllegalArgumentException("secp256k1 public key must be 33 or 65 bytes");
    }
    final ECPoint point;
    try {
      point = domain().getCurve().decodePoint(encoded).normalize();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("not a point on secp256k1");
    }
    if (point.isInfinity() || !point.isValid()) {
      throw new IllegalArgumentException("not a point on secp256k1");
    }
    return point;
  }

  /**
   * True when 32 big-endian bytes are a valid private scalar, 1 &le; d &lt; N. Runs in time that
   * does not depend on where the bytes differ from N, so a key's rejection leaks nothing.
   */
  static boolean isValidScalar(final byte[] scalar) {
    if (scalar.length != 32) {
      return false;
    }
    int nonZero = 0;
    int less = 0;
    int decided = 0;
    for (int i = 0; i < 32; i++) {
      final int a = scalar[i] & 0xff;
      final int b = N_BYTES[i] & 0xff;
      nonZero |= a;
      // First differing byte decides a < b; later bytes must not change that.
      final int lt = ((a - b) >>> 31) & 1;
      final int ne = ((a ^ b) + 0xff) >>> 8 & 1;
      less |= lt & ~decided & 1;
      decided |= ne;
    }
    return nonZero != 0 && less == 1;
  }

  private static final class Domain {
    static final ECDomainParameters PARAMS;

    static {
      final X9ECParameters x9 = CustomNamedCurves.getByName("secp256k1");
      PARAMS = new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH());
    }
  }
}
