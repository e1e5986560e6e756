package dev.mandate.enclave.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mandate.enclave.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.util.Base64;
import java.util.HexFormat;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class HpkeSealerTest {
  private static final Base64.Decoder BASE64 = Base64.getDecoder();
  private static final HexFormat HEX = HexFormat.of();
  private static final byte[] MESSAGE = "a session key".getBytes(StandardCharsets.UTF_8);

  @Test
  void theRecipientOpensWhatWasSealedToIt() throws Exception {
    final HpkeRecipient recipient = HpkeRecipient.generate();

    final HpkeEnvelope envelope = HpkeSealer.sealTo(recipient.publicKeySpkiBase64(), MESSAGE);

    assertThat(recipient.open(envelope)).isEqualTo(MESSAGE);
  }

  @Test
  void aSealedSessionKeyOpensToItsBase64Pkcs8Text() throws Exception {
    final HpkeRecipient recipient = HpkeRecipient.generate();
    try (SessionKey key = SessionKey.generate()) {
      final String pkcs8 = key.privateKeyPkcs8Base64();

      final HpkeEnvelope envelope =
          HpkeSealer.sealTo(recipient.publicKeySpkiBase64(), pkcs8.getBytes(StandardCharsets.UTF_8));

      assertThat(new String(recipient.open(envelope), StandardCharsets.UTF_8)).isEqualTo(pkcs8);
    }
  }

  @Test
  void encapsulatedKeyIsAnUncompressedPointAndCiphertextCarriesA16ByteTag() {
    final HpkeEnvelope envelope = HpkeSealer.sealTo(HpkeRecipient.generate().publicKeySpkiBase64(), MESSAGE);

    final byte[] enc = BASE64.decode(envelope.encapsulatedKeyBase64());
    assertThat(enc).hasSize(65);
    assertThat(enc[0]).isEqualTo((byte) 0x04);
    assertThat(BASE64.decode(envelope.ciphertextBase64())).hasSize(MESSAGE.length + 16);
  }

  @Test
  void everySealUsesAFreshEphemeralKey() {
    final String recipient = HpkeRecipient.generate().publicKeySpkiBase64();

    final HpkeEnvelope first = HpkeSealer.sealTo(recipient, MESSAGE);
    final HpkeEnvelope second = HpkeSealer.sealTo(recipient, MESSAGE);

    assertThat(first.encapsulatedKeyBase64()).isNotEqualTo(second.encapsulatedKeyBase64());
    assertThat(first.ciphertextBase64()).isNotEqualTo(second.ciphertextBase64());
  }

  @Test
  void anotherKeyCannotOpen() {
    final HpkeEnvelope envelope = HpkeSealer.sealTo(HpkeRecipient.generate().publicKeySpkiBase64(), MESSAGE);

    assertThatThrownBy(() -> HpkeRecipient.generate().open(envelope)).isInstanceOf(InvalidCipherTextException.class);
  }

  @Test
  void alteredCiphertextDoesNotOpen() {
    final HpkeRecipient recipient = HpkeRecipient.generate();
    final HpkeEnvelope envelope = HpkeSealer.sealTo(recipient.publicKeySpkiBase64(), MESSAGE);
    final byte[] ciphertext = BASE64.decode(envelope.ciphertextBase64());
    ciphertext[0] ^= 1;
    final HpkeEnvelope altered =
        new HpkeEnvelope(envelope.encapsulatedKeyBase64(), Base64.getEncoder().encodeToString(ciphertext));

    assertThatThrownBy(() -> recipient.open(altered)).isInstanceOf(InvalidCipherTextException.class);
  }

  @Test
  void acceptsTheKeyWithLineBreaksAsPrivyExamplesWriteIt() throws Exception {
    final HpkeRecipient recipient = HpkeRecipient.generate();
    final String wrapped = recipient.publicKeySpkiBase64().substring(0, 40) + "\n"
        + recipient.publicKeySpkiBase64().substring(40);

    assertThat(recipient.open(HpkeSealer.sealTo(wrapped, MESSAGE))).isEqualTo(MESSAGE);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {
      "not base64!",
      "AAAA",
      // secp256k1 generator point in an SPKI: right shape, wrong curve
      "MFYwEAYHKoZIzj0CAQYFK4EEAAoDQgAEeb5mfvncu6xVoGKVzocLBwKb/NstzijZWfKBWxb4F5hIOtp3JqPEZV2k+/wOEQio/Re0SKaFVBmcR9CP+xDUuA==",
      // compressed P-256 point
      "MDkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDIgACaxfR8uEsQkf4vOblY6RA8ncDfYEt6zOg9KE5RdiYwpY=",
  })
  void refusesARecipientKeyThatIsNotAP256Spki(final String key) {
    assertThatThrownBy(() -> HpkeSealer.sealTo(key, MESSAGE))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("recipient_public_key must be a base64 SPKI P-256 public key");
  }

  @Test
  void refusesAPointOffTheCurve() {
    final byte[] spki = BASE64.decode(HpkeRecipient.generate().publicKeySpkiBase64());
    spki[90] ^= 1;

    assertThatThrownBy(() -> HpkeSealer.sealTo(Base64.getEncoder().encodeToString(spki), MESSAGE))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage(HpkeSealer.BAD_RECIPIENT);
  }

  @Test
  void refusesAnRsaKey() throws Exception {
    final KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(1024);
    final String rsa = Base64.getEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded());

    assertThatThrownBy(() -> HpkeSealer.sealTo(rsa, MESSAGE))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage(HpkeSealer.BAD_RECIPIENT);
  }
}
