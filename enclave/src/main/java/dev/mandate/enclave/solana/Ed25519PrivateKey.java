package dev.mandate.enclave.solana;

import dev.mandate.enclave.Rng;
import java.util.Arrays;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * A Solana wallet key: an RFC 8032 Ed25519 private key (its 32-byte seed). It exists in plaintext
 * only inside the enclave, between unwrapping and {@link #close()}, which wipes it. Signing is
 * deterministic (RFC 8032 §5.1.6): the same message always gives the same signature.
 */
public final class Ed25519PrivateKey implements AutoCloseable {
  public static final int SEED_BYTES = Ed25519.SECRET_KEY_SIZE;
  public static final int SIGNATURE_BYTES = Ed25519.SIGNATURE_SIZE;

  private final byte[] seed;
  private final byte[] publicKey;
  private boolean closed;

  private Ed25519PrivateKey(final byte[] seed) {
    this.seed = seed.clone();
    this.publicKey = new byte[Ed25519.PUBLIC_KEY_SIZE];
    Ed25519.generatePublicKey(this.seed, 0, publicKey, 0);
  }

  /** A new key from the enclave's random source. */
  public static Ed25519PrivateKey generate() {
    final byte[] seed = new byte[SEED_BYTES];
    Rng.get().nextBytes(seed);
    try {
      return new Ed25519PrivateKey(seed);
    } finally {
      Arrays.fill(seed, (byte) 0);
    }
  }

  /**
   * The key with this seed (copied; the caller wipes its own copy).
   *
   * @throws IllegalArgumentException if {@code seed} is not 32 bytes
   */
  public static Ed25519PrivateKey fromSeed(final byte[] seed) {
    if (seed == null || seed.length != SEED_BYTES) {
      throw new IllegalArgumentException("an Ed25519 seed is 32 bytes");
    }
    return new Ed25519PrivateKey(seed);
  }

  /** The 32-byte public key (a copy). */
  public byte[] publicKey() {
    return publicKey.clone();
  }

  /** The Solana address: the public key in base58. */
  public String address() {
    return Base58.encode(publicKey);
  }

  /** Ed25519 over exactly {@code message}: no prefix, no hashing. */
  public byte[] sign(final byte[] message) {
    if (closed) {
      throw new IllegalStateException("key is closed");
    }
    final byte[] signature = new byte[SIGNATURE_BYTES];
    Ed25519.sign(seed, 0, publicKey, 0, message, 0, message.length, signature, 0);
    return signature;
  }

  /** The seed, for wrapping (a copy the caller must wipe). */
  public byte[] toBytes() {
    if (closed) {
      throw new IllegalStateException("key is closed");
    }
    return seed.clone();
  }

  /** Whether {@code signature} is {@code publicKey}'s over {@code message} (RFC 8032 verification). */
  public static boolean verify(final byte[] publicKey, final byte[] message, final byte[] signature) {
    if (publicKey.length != Ed25519.PUBLIC_KEY_SIZE || signature.length != SIGNATURE_BYTES) {
      return false;
    }
    return Ed25519.verify(signature, 0, publicKey, 0, message, 0, message.length);
  }

  @Override
  public void close() {
    Arrays.fill(seed, (byte) 0);
    closed = true;
  }
}
