package dev.mandate.enclave.authorization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mandate.enclave.InvalidRequestException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class P256PublicKeyTest {
  private static final String KEY =
      "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE23IGIEeH05JzOQIuj38QAvYGeOPLyOYiou8YIOkDX0DPE8GC5bzzpEkOtJYse+5Db+yjxQXSdxm0UmaRNBL3Eg==";
  private static final byte[] MESSAGE = "hello".getBytes(StandardCharsets.UTF_8);

  @Test
  void parsesKeysBrokenIntoLinesAsPrivyShowsThem() {
    final String broken = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEx4aoeD72yykviK+f/ckqE2CItVIG\n"
        + "1rCnvC3/XZ1HgpOcMEMialRmTrqIK4oZlYd1RfxU3za/C9yjhboIuoPD3g==";

    assertThat(P256PublicKey.parse(broken).toBase64()).isEqualTo(broken.replace("\n", ""));
  }

  @Test
  void treatsNewlinesPemAndCanonicalFormsAsOneKey() {
    final String withNewlines = KEY.substring(0, 64) + "\n" + KEY.substring(64) + "\n";
    final String pem = "-----BEGIN PUBLIC KEY-----\r\n" + KEY.substring(0, 64) + "\r\n" + KEY.substring(64)
        + "\r\n-----END PUBLIC KEY-----\n";
    final P256PublicKey canonical = P256PublicKey.parse(KEY);

    assertThat(P256PublicKey.parse(withNewlines)).isEqualTo(canonical).hasSameHashCodeAs(canonical);
    assertThat(P256PublicKey.parse(pem)).isEqualTo(canonical).hasSameHashCodeAs(canonical);
    assertThat(P256PublicKey.parse(pem).toBase64()).isEqualTo(KEY);
  }

  @Test
  void distinguishesDifferentKeys() {
    assertThat(TestSigner.generate().publicKey()).isNotEqualTo(P256PublicKey.parse(KEY));
  }

  @Test
  void refusesGarbageNamingTheField() {
    assertThatThrownBy(() -> P256PublicKey.parse("not a key!", "public_keys[0]"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("public_keys[0] is not a base64 SPKI P-256 public key");
  }

  @Test
  void refusesArmourWhoseBeginAndEndOverlap() {
    // Found by the fuzzer: BEGIN and END lines sharing their dashes made the armour's inside negative.
    assertThatThrownBy(() -> P256PublicKey.parse("-----BEGIN PUBLIC KEY--------END PUBLIC KEY-----", "public_keys[0]"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageStartingWith("public_keys[0] is not a base64 SPKI P-256 public key");
  }

  @Test
  void refusesEverythingThatIsNotAnUncompressedP256Spki() throws Exception {
    final byte[] der = Base64.getDecoder().decode(KEY);
    final byte[] offCurve = der.clone();
    offCurve[90] ^= 1;
    final byte[] trailing = Arrays.copyOf(der, 92);
    final KeyPairGenerator k1 = KeyPairGenerator.getInstance("EC");
    k1.initialize(new ECGenParameterSpec("secp384r1"));
    final byte[] otherCurve = k1.generateKeyPair().getPublic().getEncoded();

    for (final String bad : new String[] {
        "", "   ", KEY.substring(0, 40), base64(offCurve), base64(trailing), base64(otherCurve),
        "-----BEGIN CERTIFICATE-----\n" + KEY + "\n-----END CERTIFICATE-----", KEY.replace('+', '-'),
        "x".repeat(5000)}) {
      assertThatThrownBy(() -> P256PublicKey.parse(bad, "owner.public_key"))
          .as(bad)
          .isInstanceOf(InvalidRequestException.class)
          .hasMessageContaining("owner.public_key");
    }
    assertThatThrownBy(() -> P256PublicKey.parse(null)).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void verifiesItsOwnSignaturesOnly() {
    final TestSigner signer = TestSigner.generate();
    final byte[] signature = signer.signDer(MESSAGE);

    assertThat(signer.publicKey().verify(MESSAGE, signature)).isTrue();
    assertThat(signer.publicKey().verify("hellO".getBytes(StandardCharsets.UTF_8), signature)).isFalse();
    assertThat(TestSigner.generate().publicKey().verify(MESSAGE, signature)).isFalse();
  }

  @Test
  void acceptsHighAndLowSAlike() {
    final TestSigner signer = TestSigner.generate();
    final byte[] signature = signer.signDer(MESSAGE);

    assertThat(signer.publicKey().verify(MESSAGE, TestSigner.flipS(signature))).isTrue();
    assertThat(signer.publicKey().verify(MESSAGE, signature)).isTrue();
  }

  @Test
  void refusesBerEncodingsAndTrailingBytes() {
    final TestSigner signer = TestSigner.generate();
    final byte[] der = signer.signDer(MESSAGE);
    final byte[] longFormLength = new byte[der.length + 1];
    longFormLength[0] = 0x30;
    longFormLength[1] = (byte) 0x81;
    System.arraycopy(der, 1, longFormLength, 2, der.length - 1);

    assertThat(signer.publicKey().verify(MESSAGE, longFormLength)).isFalse();
    assertThat(signer.publicKey().verify(MESSAGE, Arrays.copyOf(der, der.length + 1))).isFalse();
    assertThat(signer.publicKey().verify(MESSAGE, new byte[0])).isFalse();
  }

  @Test
  void refusesOutOfRangeRAndS() {
    final P256PublicKey key = TestSigner.generate().publicKey();

    assertThat(key.verify(MESSAGE, TestSigner.derOf(BigInteger.ZERO, BigInteger.ONE))).isFalse();
    assertThat(key.verify(MESSAGE, TestSigner.derOf(BigInteger.ONE, P256PublicKey.ORDER))).isFalse();
  }

  private static String base64(final byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }
}
