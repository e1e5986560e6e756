package dev.mandate.enclave.authorization;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERSequence;

/** A throwaway P-256 key pair that signs like a Privy client: DER, standard base64, S as it falls. */
final class TestSigner {
  private final KeyPair pair;

  private TestSigner(final KeyPair pair) {
    this.pair = pair;
  }

  static TestSigner generate() {
    try {
      final KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return new TestSigner(generator.generateKeyPair());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  P256PublicKey publicKey() {
    return P256PublicKey.parse(Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
  }

  byte[] signDer(final byte[] message) {
    try {
      final Signature signature = Signature.getInstance("SHA256withECDSA");
      signature.initSign(pair.getPrivate());
      signature.update(message);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  String sign(final AuthorizationPayload payload) {
    return Base64.getEncoder().encodeToString(signDer(payload.canonicalBytes()));
  }

  String sign(final String canonical) {
    return Base64.getEncoder().encodeToString(signDer(canonical.getBytes(StandardCharsets.UTF_8)));
  }

  /** The same signature with s replaced by n - s: equally valid, the other "half" of the pair. */
  static byte[] flipS(final byte[] der) {
    final ASN1Sequence sequence = ASN1Sequence.getInstance(der);
    final BigInteger r = ASN1Integer.getInstance(sequence.getObjectAt(0)).getValue();
    final BigInteger s = ASN1Integer.getInstance(sequence.getObjectAt(1)).getValue();
    return derOf(r, P256PublicKey.ORDER.subtract(s));
  }

  static byte[] derOf(final BigInteger r, final BigInteger s) {
    try {
      return new DERSequence(new ASN1Integer[] {new ASN1Integer(r), new ASN1Integer(s)}).getEncoded();
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
