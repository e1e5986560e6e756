package dev.mandate.enclave.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mandate.enclave.authorization.P256PublicKey;
import java.lang.reflect.Field;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.Test;

class SessionKeyTest {
  private static final Base64.Decoder BASE64 = Base64.getDecoder();
  /** The start of the PKCS#8 key in Privy's own /v1/wallets/authenticate docs example. */
  private static final byte[] PRIVY_EXAMPLE_PREFIX =
      BASE64.decode("MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQg");
  private static final byte[] PUBLIC_KEY_TAG = HexFormat.of().parseHex("a144034200");

  @Test
  void privateKeyIsThe138BytePkcs8LayoutPrivyAndWebCryptoUse() {
    try (SessionKey key = SessionKey.generate()) {
      final byte[] der = BASE64.decode(key.privateKeyPkcs8Base64());
      final byte[] spki = BASE64.decode(key.publicKeySpkiBase64());

      assertThat(der).hasSize(138);
      assertThat(Arrays.copyOf(der, PRIVY_EXAMPLE_PREFIX.length)).isEqualTo(PRIVY_EXAMPLE_PREFIX);
      assertThat(Arrays.copyOfRange(der, 68, 73)).isEqualTo(PUBLIC_KEY_TAG);
      assertThat(Arrays.copyOfRange(der, 73, 138)).isEqualTo(Arrays.copyOfRange(spki, 26, 91));
    }
  }

  @Test
  void layoutMatchesAKeyExportedByPrivysNodeSdk() {
    final byte[] node = BASE64.decode(Fixtures.hpke("privy-node-interop.json").get("plaintext").asText());
    try (SessionKey key = SessionKey.generate()) {
      final byte[] ours = BASE64.decode(key.privateKeyPkcs8Base64());

      assertThat(ours).hasSameSizeAs(node);
      assertThat(Arrays.copyOf(ours, 36)).isEqualTo(Arrays.copyOf(node, 36));
      assertThat(Arrays.copyOfRange(ours, 68, 74)).isEqualTo(Arrays.copyOfRange(node, 68, 74));
    }
  }

  @Test
  void jcaParsesThePrivateKeyAndItSignsForThePublishedPublicKey() throws Exception {
    try (SessionKey key = SessionKey.generate()) {
      final ECPrivateKey privateKey = (ECPrivateKey) KeyFactory.getInstance("EC")
          .generatePrivate(new PKCS8EncodedKeySpec(BASE64.decode(key.privateKeyPkcs8Base64())));
      final byte[] message = "{\"method\":\"POST\"}".getBytes(StandardCharsets.UTF_8);

      final Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(privateKey);
      signer.update(message);

      assertThat(P256PublicKey.parse(key.publicKeySpkiBase64()).verify(message, signer.sign())).isTrue();
    }
  }

  @Test
  void privySdkExtractionOfTheBytesAfterTheFirst0420IsThePrivateScalar() throws Exception {
    try (SessionKey key = SessionKey.generate()) {
      final byte[] der = BASE64.decode(key.privateKeyPkcs8Base64());
      final byte[] extracted = privySdkScalar(der);
      final ECPrivateKey parsed =
          (ECPrivateKey) KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));

      assertThat(extracted).isEqualTo(BigIntegers.asUnsignedByteArray(32, parsed.getS()));
      // And that scalar, used on its own as @privy-io/node does, signs for the public key.
      final ECPrivateKey fromScalar = (ECPrivateKey) KeyFactory.getInstance("EC")
          .generatePrivate(new ECPrivateKeySpec(new BigInteger(1, extracted), parsed.getParams()));
      final Signature signer = Signature.getInstance("SHA256withECDSA");
      signer.initSign(fromScalar);
      signer.update(new byte[] {1, 2, 3});
      assertThat(P256PublicKey.parse(key.publicKeySpkiBase64()).verify(new byte[] {1, 2, 3}, signer.sign())).isTrue();
    }
  }

  @Test
  void publicKeyIsA91ByteSpkiThatP256PublicKeyAccepts() {
    try (SessionKey key = SessionKey.generate()) {
      assertThat(BASE64.decode(key.publicKeySpkiBase64())).hasSize(91);
      assertThat(P256PublicKey.parse(key.publicKeySpkiBase64()).toBase64()).isEqualTo(key.publicKeySpkiBase64());
    }
  }

  @Test
  void everyGeneratedKeyIsDifferent() {
    try (SessionKey first = SessionKey.generate(); SessionKey second = SessionKey.generate()) {
      assertThat(first.publicKeySpkiBase64()).isNotEqualTo(second.publicKeySpkiBase64());
      assertThat(first.privateKeyPkcs8Base64()).isNotEqualTo(second.privateKeyPkcs8Base64());
    }
  }

  @Test
  void closeZeroesTheScalarAndRefusesFurtherUse() throws Exception {
    final SessionKey key = SessionKey.generate();
    final Field field = SessionKey.class.getDeclaredField("scalar");
    field.setAccessible(true);
    final byte[] scalar = (byte[]) field.get(key);
    assertThat(scalar).isNotEqualTo(new byte[32]);

    key.close();

    assertThat(scalar).isEqualTo(new byte[32]);
    assertThatThrownBy(key::privateKeyPkcs8Base64).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(key::publicKeySpkiBase64).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void toStringNeverShowsThePrivateKey() {
    try (SessionKey key = SessionKey.generate()) {
      assertThat(key.toString()).doesNotContain(key.privateKeyPkcs8Base64()).contains(key.publicKeySpkiBase64());
    }
  }

  /** What {@code importPKCS8PrivateKey} in @privy-io/node does: 32 bytes after the first 04 20. */
  private static byte[] privySdkScalar(final byte[] der) {
    for (int i = 0; i + 34 <= der.length; i++) {
      if (der[i] == 0x04 && der[i + 1] == 0x20) {
        return Arrays.copyOfRange(der, i + 2, i + 34);
      }
    }
    throw new AssertionError("no 04 20 in the DER");
  }
}
