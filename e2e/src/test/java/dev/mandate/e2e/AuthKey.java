package dev.mandate.e2e;

import dev.mandate.enclave.authorization.AuthorizationPayload;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;

/**
 * A P-256 authorization key held by a test, as an app's server would hold one: signs request
 * payloads with the JDK's own ECDSA (an implementation independent of the enclave's verifier).
 */
public final class AuthKey {
  private final KeyPair pair;

  /** Every private key a test made, so the secret scan can look for them. */
  private static final java.util.Set<String> ISSUED = java.util.concurrent.ConcurrentHashMap.newKeySet();

  private AuthKey(final KeyPair pair) {
    this.pair = pair;
  }

  static java.util.Set<String> issuedPrivateKeys() {
    return java.util.Set.copyOf(ISSUED);
  }

  public static AuthKey generate() {
    try {
      final KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      final AuthKey key = new AuthKey(generator.generateKeyPair());
      // Keys a test made itself never reach the server; keys the server issued (fromPkcs8) are in responses by design.
      ISSUED.add(key.privateKeyPkcs8());
      return key;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A key given as base64 PKCS#8 DER (e.g. an {@code authenticated_signer}); it can sign, not tell its public key. */
  public static AuthKey fromPkcs8(final String base64) {
    try {
      final java.security.PrivateKey key = java.security.KeyFactory.getInstance("EC")
          .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
      return new AuthKey(new KeyPair(null, key));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Base64 SPKI DER, the form Privy's API takes. */
  public String publicKey() {
    return Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
  }

  /** Base64 PKCS#8 DER, the form Privy's SDKs take as an authorization private key. */
  public String privateKeyPkcs8() {
    return Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded());
  }

  public String sign(final String method, final String url, final String body, final Map<String, String> headers) {
    return signBytes(AuthorizationPayload.of(method, url, body, headers).canonicalBytes());
  }

  public String signBytes(final byte[] payload) {
    try {
      final Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(pair.getPrivate());
      signer.update(payload);
      return Base64.getEncoder().encodeToString(signer.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
