package dev.mandate.enclave.session;

import dev.mandate.enclave.InvalidRequestException;
import dev.mandate.enclave.Rng;
import dev.mandate.enclave.authorization.P256PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;

/**
 * Seals a message to a caller's P-256 key with HPKE (RFC 9180) in Privy's suite: base mode,
 * DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, ChaCha20-Poly1305, empty {@code info} and {@code aad}.
 * That is what {@code @privy-io/node} (via {@code @hpke/core}) and Privy's Rust SDK open.
 *
 * <p>Why BouncyCastle's {@link HPKE}: it is a reviewed implementation of the RFC that is already on
 * the enclave's classpath (bcprov), it reproduces the RFC's test vectors for this suite, and it
 * lets us supply the ephemeral key, so the randomness comes from {@link Rng} at call time (safe
 * under SnapStart) rather than from a generator created inside the library. Composing HPKE by hand
 * from ECDH, HKDF and an AEAD would be a new, unreviewed protocol implementation.
 */
public final class HpkeSealer {
  static final String BAD_RECIPIENT = "recipient_public_key must be a base64 SPKI P-256 public key";
  private static final byte[] EMPTY = new byte[0];
  /** DHKEM(P-256) Nsk: DeriveKeyPair input should carry at least this much entropy. */
  private static final int IKM_LENGTH = 32;
  private static final int POINT_LENGTH = 65;

  private HpkeSealer() {}

  /**
   * Seals {@code plaintext} to the recipient with a fresh ephemeral key.
   *
   * @param recipientPublicKeySpkiBase64 base64 SPKI DER of a P-256 key, as Privy's SDKs send in
   *     {@code recipient_public_key}
   * @throws InvalidRequestException if the key is not a valid P-256 SPKI (the message names the
   *     field, never echoes the value)
   */
  public static HpkeEnvelope sealTo(final String recipientPublicKeySpkiBase64, final byte[] plaintext) {
    Objects.requireNonNull(plaintext, "plaintext");
    // RFC 9180 lets GenerateKeyPair be DeriveKeyPair(random(Nsk)); doing it that way keeps the draw
    // on our Rng and leaves the key in exactly the form the library's KEM expects.
    final byte[] ikm = new byte[IKM_LENGTH];
    try {
      Rng.get().nextBytes(ikm);
      return sealTo(recipientPublicKeySpkiBase64, plaintext, ikm);
    } finally {
      Arrays.fill(ikm, (byte) 0);
    }
  }

  /** As {@link #sealTo(String, byte[])} with the ephemeral key derived from {@code ephemeralIkm}. */
  static HpkeEnvelope sealTo(
      final String recipientPublicKeySpkiBase64, final byte[] plaintext, final byte[] ephemeralIkm) {
    final HPKE suite = suite();
    final AsymmetricKeyParameter recipient = recipientKey(suite, recipientPublicKeySpkiBase64);
    return seal(suite, recipient, EMPTY, EMPTY, plaintext, suite.deriveKeyPair(ephemeralIkm));
  }

  /** Privy's suite. A new instance per use: BouncyCastle's HPKE objects are cheap and stateful. */
  static HPKE suite() {
    return new HPKE(HPKE.mode_base, HPKE.kem_P256_SHA256, HPKE.kdf_HKDF_SHA256, HPKE.aead_CHACHA20_POLY1305);
  }

  /** The single-shot seal with every input explicit, so tests can replay RFC 9180 vectors. */
  static HpkeEnvelope seal(
      final HPKE suite,
      final AsymmetricKeyParameter recipient,
      final byte[] info,
      final byte[] aad,
      final byte[] plaintext,
      final AsymmetricCipherKeyPair ephemeral) {
    final HPKEContextWithEncapsulation context = suite.setupBaseS(recipient, info, ephemeral);
    final byte[] ciphertext;
    try {
      ciphertext = context.seal(aad, plaintext);
    } catch (InvalidCipherTextException e) {
      throw new IllegalStateException("ChaCha20-Poly1305 refused to seal", e);
    }
    final Base64.Encoder base64 = Base64.getEncoder();
    return new HpkeEnvelope(base64.encodeToString(context.getEncapsulation()), base64.encodeToString(ciphertext));
  }

  private static AsymmetricKeyParameter recipientKey(final HPKE suite, final String spkiBase64) {
    final P256PublicKey key;
    try {
      key = P256PublicKey.parse(spkiBase64, "recipient_public_key");
    } catch (InvalidRequestException e) {
      throw new InvalidRequestException(BAD_RECIPIENT);
    }
    // P256PublicKey accepts only the 91-byte uncompressed form; the point is its last 65 bytes.
    final byte[] spki = Base64.getDecoder().decode(key.toBase64());
    return suite.deserializePublicKey(Arrays.copyOfRange(spki, spki.length - POINT_LENGTH, spki.length));
  }
}
