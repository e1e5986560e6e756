package dev.mandate.enclave.jwt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/** Signs test tokens with nimbus. */
final class Tokens {
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  private Tokens() {}

  /** {@code sub: user-1, iss: https://auth.example, aud: mandate-app}, issued now, valid an hour. */
  static JWTClaimsSet.Builder claims() {
    return new JWTClaimsSet.Builder()
        .subject("user-1")
        .issuer("https://auth.example")
        .audience("mandate-app")
        .issueTime(Date.from(NOW))
        .expirationTime(Date.from(NOW.plusSeconds(3600)))
        .claim("email", "user@example.com");
  }

  static String sign(final JWK key, final JWTClaimsSet claims) {
    return sign(key, key.getKeyID(), claims);
  }

  static String sign(final JWK key, final String kid, final JWTClaimsSet claims) {
    final JWSAlgorithm algorithm = key instanceof RSAKey ? JWSAlgorithm.RS256 : JWSAlgorithm.ES256;
    final SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(kid).build(), claims);
    try {
      final JWSSigner signer = key instanceof RSAKey rsa ? new RSASSASigner(rsa) : new ECDSASigner((ECKey) key);
      jwt.sign(signer);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
    return jwt.serialize();
  }

  /** PEM SPKI text of a JWK's public key. */
  static String pem(final JWK key) {
    try {
      final byte[] spki = key instanceof RSAKey rsa
          ? rsa.toPublicKey().getEncoded()
          : ((ECKey) key).toPublicKey().getEncoded();
      return "-----BEGIN PUBLIC KEY-----\n"
          + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(spki)
          + "\n-----END PUBLIC KEY-----\n";
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }
}
