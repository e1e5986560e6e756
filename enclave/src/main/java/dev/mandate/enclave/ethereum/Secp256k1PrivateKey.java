package dev.mandate.enclave.ethereum;

import dev.mandate.enclave.Rng;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * A secp256k1 private key: the only object in Mandate that holds a wallet's secret in the clear.
 *
 * <p>Use it in try-with-resources; {@link #close()} zeroes the scalar and any later use fails. The
 * public key is derived on first use and kept: a scalar multiplication costs more than half a
 * signature, and signing with libsecp256k1's recoverable signer does not need it.
 *
 * <p>Not safe for concurrent use with {@link #close()}; one request, one key object.
 */
public final class Secp256k1PrivateKey implements DigestSigner, AutoCloseable {
  private final byte[] secret;
  private final Secp256k1Backend backend;
  private volatile Secp256k1PublicKey publicKey;
  private volatile boolean closed;

  private Secp256k1PrivateKey(final byte[] secret, final Secp256k1Backend backend) {
    this.secret = secret;
    this.backend = backend;
  }

  /**
   * A fresh random key. The generator is fetched at call time, never at class initialisation: a
   * SnapStart snapshot is cloned, and a generator seeded before it would repeat across clones.
   */
  public static Secp256k1PrivateKey generate() {
    return generate(Rng.get());
  }

  /** A fresh key from the given generator (rejection sampling: uniform over [1, N)). */
  public static Secp256k1PrivateKey generate(final SecureRandom random) {
    final byte[] candidate = new byte[32];
    try {
      do {
        random.nextBytes(candidate);
      } while (!Curve.isValidScalar(candidate));
      return new Secp256k1PrivateKey(candidate.clone(), Secp256k1Backends.preferred());
    } finally {
      Arrays.fill(candidate, (byte) 0);
    }
  }

  /**
   * A key from its 32-byte big-endian scalar; copies it, so the caller can (and should) wipe its
   * array. Refuses 0 and values &ge; N.
   */
  public static Secp256k1PrivateKey fromBytes(final byte[] scalar) {
    return fromBytes(scalar, Secp256k1Backends.preferred());
  }

  static Secp256k1PrivateKey fromBytes(final byte[] scalar, final Secp256k1Backend backend) {
    if (!Curve.isValidScalar(scalar)) {
      throw new IllegalArgumentException("private key must be 32 bytes in [1, N)");
    }
    return new Secp256k1PrivateKey(scalar.clone(), backend);
  }

  /** A copy of the scalar, for wrapping under KMS. The caller must wipe it. */
  public byte[] toBytes() {
    ensureOpen();
    return secret.clone();
  }

  public Secp256k1PublicKey publicKey() {
    Secp256k1PublicKey key = publicKey;
    if (key == null) {
      ensureOpen();
      key = new Secp256k1PublicKey(backend.publicKey(secret), backend);
      publicKey = key;
    }
    return key;
  }

  @Override
  public EthAddress address() {
    return publicKey().address();
  }

  /**
   * Signs a 32-byte digest as Ethereum does: RFC 6979 deterministic nonce (no randomness needed,
   * same input gives the same signature), low S (EIP-2), with the recovery id.
   */
  @Override
  public RecoverableSignature signDigest(final byte[] digest) {
    if (digest.length != 32) {
      throw new IllegalArgumentException("digest must be 32 bytes");
    }
    ensureOpen();
    final RecoverableSignature signature = backend.sign(digest, secret, () -> publicKey().toUncompressedUnsafe());
    if (signature.recoveryId() > 1) {
      // Only when the nonce point's x is >= N (odds about 2^-128); Ethereum's v cannot express it.
      throw new IllegalStateException("signature has no Ethereum recovery id");
    }
    return signature;
  }

  /** Zeroes the scalar. Idempotent. */
  @Override
  public void close() {
    closed = true;
    Arrays.fill(secret, (byte) 0);
  }

  /** Never shows the secret. */
  @Override
  public String toString() {
    final Secp256k1PublicKey key = publicKey;
    if (key == null && closed) {
      return "Secp256k1PrivateKey[closed]";
    }
    return "Secp256k1PrivateKey[address=" + (key == null ? address() : key.address()) + "]";
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("private key has been closed");
    }
  }
}
