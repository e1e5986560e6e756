package dev.mandate.enclave.jwt;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;

/**
 * {@code -----BEGIN PUBLIC KEY-----} (SPKI) text to a JWK. Nimbus's own PEM reader needs
 * bcpkix, which we do not ship; SPKI needs nothing beyond the JDK.
 */
final class PemKeys {
  static final int MAX_PEM_LENGTH = 8 * 1024;
  private static final String BEGIN = "-----BEGIN PUBLIC KEY-----";
  private static final String END = "-----END PUBLIC KEY-----";
  private static final int MIN_RSA_BITS = 2048;

  private PemKeys() {}

  /** An RSA key of at least 2048 bits or an EC P-256 key, or empty if the text is neither. */
  static Optional<JWK> parse(final String pem) {
    if (pem == null || pem.length() > MAX_PEM_LENGTH) {
      return Optional.empty();
    }
    final String text = pem.strip();
    if (!text.startsWith(BEGIN) || !text.endsWith(END)) {
      return Optional.empty();
    }
    final X509EncodedKeySpec spec;
    try {
      spec = new X509EncodedKeySpec(
          Base64.getMimeDecoder().decode(text.substring(BEGIN.length(), text.length() - END.length())));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    return publicKey("EC", spec).or(() -> publicKey("RSA", spec)).flatMap(PemKeys::toJwk);
  }

  private static Optional<PublicKey> publicKey(final String algorithm, final X509EncodedKeySpec spec) {
    try {
      return Optional.of(KeyFactory.getInstance(algorithm).generatePublic(spec));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static Optional<JWK> toJwk(final PublicKey key) {
    if (key instanceof ECPublicKey ec && Curve.P_256.equals(Curve.forECParameterSpec(ec.getParams()))) {
      return Optional.of(new ECKey.Builder(Curve.P_256, ec).keyUse(KeyUse.SIGNATURE).build());
    }
    if (key instanceof RSAPublicKey rsa && rsa.getModulus().bitLength() >= MIN_RSA_BITS) {
      return Optional.of(new RSAKey.Builder(rsa).keyUse(KeyUse.SIGNATURE).build());
    }
    return Optional.empty();
  }
}
