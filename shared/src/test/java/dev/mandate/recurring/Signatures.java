package dev.mandate.recurring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mandate.enclave.authorization.P256PublicKey;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/** Checks an action signature the two ways that matter: the JDK's verifier and the enclave's. */
final class Signatures {
  private Signatures() {}

  static void assertVerifies(final ActionKey key, final byte[] payload, final String signatureBase64) {
    final byte[] der = Base64.getDecoder().decode(signatureBase64);
    assertThat(jdkVerifies(key.publicKeySpkiBase64(), payload, der)).as("JDK SHA256withECDSA").isTrue();
    assertThat(P256PublicKey.parse(key.publicKeySpkiBase64()).verify(payload, der)).as("enclave verifier").isTrue();
  }

  static boolean jdkVerifies(final String spkiBase64, final byte[] payload, final byte[] der) {
    try {
      final PublicKey publicKey = KeyFactory.getInstance("EC")
          .generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(spkiBase64)));
      final Signature verifier = Signature.getInstance("SHA256withECDSA");
      verifier.initVerify(publicKey);
      verifier.update(payload);
      return verifier.verify(der);
    } catch (GeneralSecurityException e) {
      throw new AssertionError("cannot verify", e);
    }
  }
}
