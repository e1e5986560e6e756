package dev.mandate.enclave.ethereum;

import java.math.BigInteger;

/**
 * An ECDSA signature over secp256k1 with the recovery id that lets a verifier rebuild the public
 * key from it (Ethereum's {@code ecrecover}).
 *
 * @param r the x coordinate of the nonce point, mod N, 1 &le; r &lt; N
 * @param s 1 &le; s &lt; N; signatures this package makes are low-S (EIP-2)
 * @param recoveryId 0..3: bit 0 is the parity of the nonce point's y, bit 1 says x &ge; N (never
 *     seen in practice; Ethereum cannot express it)
 */
public record RecoverableSignature(BigInteger r, BigInteger s, int recoveryId) {
  public RecoverableSignature {
    if (r.signum() <= 0 || r.compareTo(Curve.N) >= 0 || s.signum() <= 0 || s.compareTo(Curve.N) >= 0) {
      throw new IllegalArgumentException("r and s must be in [1, N)");
    }
    if (recoveryId < 0 || recoveryId > 3) {
      throw new IllegalArgumentException("recovery id must be 0..3");
    }
  }

  /** The y parity that typed transactions and EIP-7702 authorizations carry. */
  public int yParity() {
    return recoveryId & 1;
  }

  /** True when s &le; N/2, as EIP-2 requires of transaction signatures. */
  public boolean isLowS() {
    return s.compareTo(Curve.HALF_N) <= 0;
  }

  /** r as 32 big-endian bytes. */
  public byte[] rBytes() {
    return toBytes32(r);
  }

  /** s as 32 big-endian bytes. */
  public byte[] sBytes() {
    return toBytes32(s);
  }

  /**
   * The 65-byte r‖s‖v form with v = 27 + recovery id: what {@code personal_sign},
   * {@code eth_signTypedData_v4} and {@code secp256k1_sign} return, and what {@code ecrecover}
   * tooling expects.
   */
  public byte[] toRsvBytes() {
    final byte[] out = new byte[65];
    System.arraycopy(rBytes(), 0, out, 0, 32);
    System.arraycopy(sBytes(), 0, out, 32, 32);
    out[64] = (byte) (27 + recoveryId);
    return out;
  }

  /** {@code 0x} + r(32) ‖ s(32) ‖ v(1), lowercase hex. */
  public String toRsvHex() {
    return Hex.encode(toRsvBytes());
  }

  static byte[] toBytes32(final BigInteger value) {
    final byte[] magnitude = Rlp.unsignedBytes(value);
    final byte[] out = new byte[32];
    System.arraycopy(magnitude, 0, out, 32 - magnitude.length, magnitude.length);
    return out;
  }
}
