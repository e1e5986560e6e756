package dev.mandate.enclave.session;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;

/**
 * The receiving side of Privy's HPKE suite, for tests only: production never opens, it only seals
 * session keys to callers. Built on the same {@link HpkeSealer#suite()}.
 */
final class HpkeRecipient {
  private static final byte[] SPKI_PREFIX =
      HexFormat.of().parseHex("3059301306072a8648ce3d020106082a8648ce3d030107034200");

  private final AsymmetricCipherKeyPair keyPair;

  private HpkeRecipient(final AsymmetricCipherKeyPair keyPair) {
    this.keyPair = keyPair;
  }

  static HpkeRecipient generate() {
    final byte[] ikm = new byte[32];
    new SecureRandom().nextBytes(ikm);
    return new HpkeRecipient(HpkeSealer.suite().deriveKeyPair(ikm));
  }

  /** From the 32-byte private scalar (RFC 9180 SerializePrivateKey form). */
  static HpkeRecipient fromPrivateKey(final byte[] scalar) {
    final HPKE suite = HpkeSealer.suite();
    final AsymmetricCipherKeyPair derived = suite.deserializePrivateKey(scalar, null);
    return new HpkeRecipient(derived);
  }

  /** Base64 SPKI DER, as Privy's SDK sends it in {@code recipient_public_key}. */
  String publicKeySpkiBase64() {
    final byte[] point = HpkeSealer.suite().serializePublicKey(keyPair.getPublic());
    final byte[] spki = Arrays.copyOf(SPKI_PREFIX, SPKI_PREFIX.length + point.length);
    System.arraycopy(point, 0, spki, SPKI_PREFIX.length, point.length);
    return Base64.getEncoder().encodeToString(spki);
  }

  byte[] publicPoint() {
    return HpkeSealer.suite().serializePublicKey(keyPair.getPublic());
  }

  byte[] privateScalar() {
    return HpkeSealer.suite().serializePrivateKey(keyPair.getPrivate());
  }

  /** Opens with empty info and aad; throws if the message was not sealed to this key or was altered. */
  byte[] open(final HpkeEnvelope envelope) throws InvalidCipherTextException {
    final Base64.Decoder base64 = Base64.getDecoder();
    return HpkeSealer.suite().open(
        base64.decode(envelope.encapsulatedKeyBase64()),
        keyPair,
        new byte[0],
        new byte[0],
        base64.decode(envelope.ciphertextBase64()),
        null,
        null,
        null);
  }

  AsymmetricCipherKeyPair keyPair() {
    return keyPair;
  }
}
