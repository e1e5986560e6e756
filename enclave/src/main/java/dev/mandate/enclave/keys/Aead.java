package dev.mandate.enclave.keys;

import dev.mandate.enclave.Rng;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/** AES-256-GCM with a random 96-bit nonce and a 128-bit tag, the only cipher the wrappers use. */
final class Aead {
  static final int KEY_BYTES = 32;
  private static final String TRANSFORMATION = "AES/GCM/NoPadding";

  private Aead() {}

  /** A fresh nonce; drawn per call from the lazily created process RNG (never at class init). */
  static byte[] newNonce() {
    final byte[] nonce = new byte[WrappedKey.NONCE_BYTES];
    Rng.get().nextBytes(nonce);
    return nonce;
  }

  static byte[] seal(final byte[] key, final byte[] nonce, final byte[] plaintext, final byte[] aad) {
    try {
      final Cipher cipher = cipher(Cipher.ENCRYPT_MODE, key, nonce);
      cipher.updateAAD(aad);
      return cipher.doFinal(plaintext);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM encryption failed", e);
    }
  }

  /** @throws KeyUnwrapException if the tag does not verify (wrong key, wrong AAD, altered bytes) */
  static byte[] open(final byte[] key, final byte[] nonce, final byte[] ciphertext, final byte[] aad) {
    try {
      final Cipher cipher = cipher(Cipher.DECRYPT_MODE, key, nonce);
      cipher.updateAAD(aad);
      return cipher.doFinal(ciphertext);
    } catch (AEADBadTagException e) {
      throw new KeyUnwrapException("wrapped key failed authentication (wrong context or key, or altered)");
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("AES-GCM decryption failed", e);
    }
  }

  private static Cipher cipher(final int mode, final byte[] key, final byte[] nonce)
      throws GeneralSecurityException {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("AES-256 needs a 32-byte key");
    }
    final Cipher cipher = Cipher.getInstance(TRANSFORMATION, Provider.INSTANCE);
    // SecretKeySpec keeps its own copy, which the JCE gives us no way to wipe; ours is wiped by callers.
    cipher.init(mode, new SecretKeySpec(key, "AES"), new GCMParameterSpec(WrappedKey.TAG_BYTES * 8, nonce));
    return cipher;
  }

  /** The provider the JCA picks for AES-GCM, found once: the search per call cost more than a small unwrap. */
  private static final class Provider {
    private static final java.security.Provider INSTANCE = find();

    private static java.security.Provider find() {
      try {
        return Cipher.getInstance(TRANSFORMATION).getProvider();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException("no AES-GCM provider", e);
      }
    }
  }

  static void wipe(final byte[] bytes) {
    if (bytes != null) {
      Arrays.fill(bytes, (byte) 0);
    }
  }
}
