package dev.mandate.enclave.keys;

/**
 * Encrypts key material so that only ciphertext is ever stored, bound to a {@link KeyContext}.
 * Implementations are thread-safe.
 */
public interface KeyWrapper {

  /** Encrypts {@code plaintext} for {@code context}. The caller still owns (and wipes) {@code plaintext}. */
  WrappedKey wrap(byte[] plaintext, KeyContext context);

  /**
   * Decrypts a key wrapped for exactly {@code context}. The caller must wipe the returned array.
   *
   * @throws KeyUnwrapException if the key was wrapped by another kind of wrapper, under another
   *     context or master key, or was altered
   */
  byte[] unwrap(WrappedKey wrapped, KeyContext context);
}
