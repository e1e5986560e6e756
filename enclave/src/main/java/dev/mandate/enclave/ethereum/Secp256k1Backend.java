package dev.mandate.enclave.ethereum;

import java.math.BigInteger;
import java.util.Optional;

/**
 * The elliptic-curve arithmetic behind the key types, so they can run on libsecp256k1 (fast, JNI)
 * or on BouncyCastle (pure Java) when the native library cannot load. Both must give identical
 * results: RFC 6979 nonces, low-S signatures, the same recovery ids.
 *
 * <p>Inputs are trusted here: the key types have already checked lengths and ranges.
 */
interface Secp256k1Backend {
  String name();

  /** The 65-byte uncompressed public key of a valid 32-byte scalar. */
  byte[] publicKey(byte[] secret);

  /**
   * Signs a 32-byte digest with an RFC 6979 deterministic nonce, normalised to low S, with the
   * recovery id that yields {@code publicKey} (the signer's own, asked for only by a backend that
   * finds the recovery id by trial).
   */
  RecoverableSignature sign(byte[] digest, byte[] secret, java.util.function.Supplier<byte[]> publicKey);

  /** Plain ECDSA verification: any 1 &le; r, s &lt; N, high S included. */
  boolean verify(byte[] digest, BigInteger r, BigInteger s, byte[] publicKey);

  /** The 65-byte uncompressed public key that produced (r, s) with this recovery id, if any. */
  Optional<byte[]> recover(byte[] digest, BigInteger r, BigInteger s, int recoveryId);
}
