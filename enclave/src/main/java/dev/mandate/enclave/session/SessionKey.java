package dev.mandate.enclave.session;

import dev.mandate.enclave.Rng;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.generators.ECKeyPairGenerator;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECKeyGenerationParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.util.BigIntegers;

/**
 * A user's short-lived P-256 session key ("user signing key"), created inside the enclave when a
 * login JWT is exchanged and handed out exactly once: HPKE-sealed to the caller, or as plain
 * base64 PKCS#8 over TLS. Only {@link #publicKeySpkiBase64()} is ever stored.
 *
 * <p>Close it as soon as the private key has been sealed: {@link #close()} zeroes the copy of the
 * private scalar this object holds. (BouncyCastle's key generator works with an immutable {@code
 * BigInteger}, and strings cannot be wiped, so transient copies remain until garbage collection;
 * closing limits the lifetime of the one copy we control.) Not thread-safe: one request, one key.
 */
public final class SessionKey implements AutoCloseable {
  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256r1");
  private static final ECDomainParameters DOMAIN = new ECDomainParameters(CURVE);
  private static final int SCALAR_LENGTH = 32;

  /**
   * PKCS#8 PrivateKeyInfo {version 0, id-ecPublicKey + prime256v1, OCTET STRING {RFC 5915
   * ECPrivateKey {version 1, privateKey OCTET STRING (32)}}} up to the scalar; the [1] publicKey
   * field follows it. This is the exact DER that WebCrypto, Node and JCA produce for a P-256 key
   * with its public key included (138 bytes), and the one Privy's SDKs read: they take the 32
   * bytes after the first {@code 04 20}, which in this layout is always the scalar.
   */
  private static final byte[] PKCS8_PREFIX = HexFormat.of().parseHex(
      "308187020100301306072a8648ce3d020106082a8648ce3d030107046d306b0201010420");
  private static final byte[] PKCS8_PUBLIC_KEY_TAG = HexFormat.of().parseHex("a144034200");
  /** SubjectPublicKeyInfo header for id-ecPublicKey + prime256v1 with a 65-byte uncompressed point. */
  private static final byte[] SPKI_PREFIX =
      HexFormat.of().parseHex("3059301306072a8648ce3d020106082a8648ce3d030107034200");

  private final byte[] scalar;
  private final byte[] publicPoint;
  private boolean closed;

  private SessionKey(final byte[] scalar, final byte[] publicPoint) {
    this.scalar = scalar;
    this.publicPoint = publicPoint;
  }

  /** A fresh key pair from {@link Rng} (drawn now, never at class initialisation). */
  public static SessionKey generate() {
    final ECKeyPairGenerator generator = new ECKeyPairGenerator();
    generator.init(new ECKeyGenerationParameters(DOMAIN, Rng.get()));
    final AsymmetricCipherKeyPair pair = generator.generateKeyPair();
    final byte[] scalar =
        BigIntegers.asUnsignedByteArray(SCALAR_LENGTH, ((ECPrivateKeyParameters) pair.getPrivate()).getD());
    final byte[] point = ((ECPublicKeyParameters) pair.getPublic()).getQ().getEncoded(false);
    return new SessionKey(scalar, point);
  }

  /**
   * Standard base64 of the 138-byte PKCS#8 DER, no PEM armour: what Privy returns (sealed) from
   * {@code /v1/wallets/authenticate} and what its SDKs accept as an authorization private key.
   */
  public String privateKeyPkcs8Base64() {
    ensureOpen();
    final byte[] der = new byte[PKCS8_PREFIX.length + SCALAR_LENGTH + PKCS8_PUBLIC_KEY_TAG.length + publicPoint.length];
    try {
      int at = put(der, 0, PKCS8_PREFIX);
      at = put(der, at, scalar);
      at = put(der, at, PKCS8_PUBLIC_KEY_TAG);
      put(der, at, publicPoint);
      return Base64.getEncoder().encodeToString(der);
    } finally {
      Arrays.fill(der, (byte) 0);
    }
  }

  /** Standard base64 of the 91-byte SPKI DER, the form {@code P256PublicKey.parse} takes. */
  public String publicKeySpkiBase64() {
    ensureOpen();
    final byte[] der = new byte[SPKI_PREFIX.length + publicPoint.length];
    put(der, put(der, 0, SPKI_PREFIX), publicPoint);
    return Base64.getEncoder().encodeToString(der);
  }

  /** Zeroes the private scalar; later calls to the accessors throw {@link IllegalStateException}. */
  @Override
  public void close() {
    Arrays.fill(scalar, (byte) 0);
    closed = true;
  }

  private void ensureOpen() {
    if (closed) {
      throw new IllegalStateException("session key is closed");
    }
  }

  private static int put(final byte[] target, final int at, final byte[] source) {
    System.arraycopy(source, 0, target, at, source.length);
    return at + source.length;
  }

  @Override
  public String toString() {
    return "SessionKey[" + (closed ? "closed" : publicKeySpkiBase64()) + "]";
  }
}
