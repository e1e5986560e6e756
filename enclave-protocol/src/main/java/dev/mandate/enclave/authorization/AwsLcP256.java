package dev.mandate.enclave.authorization;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Optional;

/**
 * P-256 ECDSA verification in AWS-LC through the Amazon Corretto Crypto Provider: native code,
 * about twice as fast as BouncyCastle on the JVM. Used only when ACCP loads and is healthy on this
 * platform; {@code -Dmandate.p256=bouncycastle} forces the pure-Java path. The provider is used by
 * reference, never installed JVM-wide. Like BouncyCastle it accepts high-S signatures (plain ECDSA).
 */
final class AwsLcP256 {
  private static final Optional<Provider> PROVIDER = load();
  private static final ThreadLocal<Signature> VERIFIERS = ThreadLocal.withInitial(AwsLcP256::newVerifier);

  private AwsLcP256() {}

  static boolean available() {
    return PROVIDER.isPresent();
  }

  /** The provider's own key object for a validated SPKI, so each verification skips decoding. */
  static Optional<PublicKey> key(final byte[] spki) {
    return PROVIDER.flatMap(provider -> {
      try {
        return Optional.of(KeyFactory.getInstance("EC", provider).generatePublic(new X509EncodedKeySpec(spki)));
      } catch (GeneralSecurityException e) {
        return Optional.empty();
      }
    });
  }

  /** ECDSA over a precomputed SHA-256 digest ({@code NONEwithECDSA}). */
  static boolean verify(final PublicKey key, final byte[] digest, final EcdsaSignature signature) {
    final Signature verifier = VERIFIERS.get();
    try {
      verifier.initVerify(key);
      verifier.update(digest);
      return verifier.verify(der(signature.r(), signature.s()));
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static Optional<Provider> load() {
    if ("bouncycastle".equals(System.getProperty("mandate.p256"))) {
      return Optional.empty();
    }
    try {
      final com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider accp =
          com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider.INSTANCE;
      if (accp.getLoadingError() != null) {
        return Optional.empty();
      }
      Signature.getInstance("NONEwithECDSA", accp);
      return Optional.of(accp);
    } catch (GeneralSecurityException | RuntimeException | LinkageError unavailable) {
      return Optional.empty();
    }
  }

  private static Signature newVerifier() {
    try {
      return Signature.getInstance("NONEwithECDSA", PROVIDER.orElseThrow());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("ACCP lost NONEwithECDSA after loading", e);
    }
  }

  /** DER {@code SEQUENCE {INTEGER r, INTEGER s}} (r, s &lt; 2^256, so short-form lengths). */
  static byte[] der(final BigInteger r, final BigInteger s) {
    final byte[] rb = r.toByteArray();
    final byte[] sb = s.toByteArray();
    final byte[] out = new byte[6 + rb.length + sb.length];
    out[0] = 0x30;
    out[1] = (byte) (4 + rb.length + sb.length);
    out[2] = 0x02;
    out[3] = (byte) rb.length;
    System.arraycopy(rb, 0, out, 4, rb.length);
    out[4 + rb.length] = 0x02;
    out[5 + rb.length] = (byte) sb.length;
    System.arraycopy(sb, 0, out, 6 + rb.length, sb.length);
    return out;
  }
}
