package dev.mandate.enclave.ethereum;

import org.bouncycastle.crypto.digests.KeccakDigest;

/**
 * Keccak-256 as Ethereum uses it: the original Keccak padding, not NIST SHA3-256 (they differ, and
 * mixing them up gives valid-looking but wrong hashes).
 */
public final class Keccak {
  private Keccak() {}

  /** Keccak-256 of the concatenation of {@code parts}, without building the concatenation. */
  public static byte[] keccak256(final byte[]... parts) {
    // A digest is cheap to create and not thread-safe, so one per call.
    final KeccakDigest digest = new KeccakDigest(256);
    for (final byte[] part : parts) {
      digest.update(part, 0, part.length);
    }
    final byte[] out = new byte[32];
    digest.doFinal(out, 0);
    return out;
  }

  /** Keccak-256 of {@code length} bytes of {@code input} starting at {@code offset}. */
  public static byte[] keccak256(final byte[] input, final int offset, final int length) {
    final KeccakDigest digest = new KeccakDigest(256);
    digest.update(input, offset, length);
    final byte[] out = new byte[32];
    digest.doFinal(out, 0);
    return out;
  }
}
