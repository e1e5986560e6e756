package dev.mandate.enclave.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mandate.enclave.authorization.P256PublicKey;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.hpke.HPKEContext;
import org.bouncycastle.crypto.hpke.HPKEContextWithEncapsulation;
import org.junit.jupiter.api.Test;

/**
 * HPKE against outside references: RFC 9180's own test vector for Privy's suite, and messages made
 * by {@code @hpke/core} as {@code @privy-io/node} configures it (see vectors/hpke/README.md).
 */
class HpkeVectorsTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final Base64.Decoder BASE64 = Base64.getDecoder();

  @Test
  void suiteIdsAreTheRfcVectorsSuite() {
    final JsonNode vector = Fixtures.hpke("rfc9180-a5-base.json");
    final HPKE suite = HpkeSealer.suite();

    assertThat(vector.get("kem_id").asInt()).isEqualTo(HPKE.kem_P256_SHA256);
    assertThat(vector.get("kdf_id").asInt()).isEqualTo(HPKE.kdf_HKDF_SHA256);
    assertThat(vector.get("aead_id").asInt()).isEqualTo(HPKE.aead_CHACHA20_POLY1305).isEqualTo(suite.getAeadId());
    assertThat(vector.get("mode").asInt()).isEqualTo(HPKE.mode_base);
  }

  @Test
  void rfc9180KeyDerivationIsReproduced() {
    final JsonNode vector = Fixtures.hpke("rfc9180-a5-base.json");
    final HPKE suite = HpkeSealer.suite();

    final AsymmetricCipherKeyPair ephemeral = suite.deriveKeyPair(hex(vector, "ikmE"));
    final AsymmetricCipherKeyPair recipient = suite.deriveKeyPair(hex(vector, "ikmR"));

    assertThat(suite.serializePrivateKey(ephemeral.getPrivate())).isEqualTo(hex(vector, "skEm"));
    assertThat(suite.serializePublicKey(ephemeral.getPublic())).isEqualTo(hex(vector, "pkEm"));
    assertThat(suite.serializePrivateKey(recipient.getPrivate())).isEqualTo(hex(vector, "skRm"));
    assertThat(suite.serializePublicKey(recipient.getPublic())).isEqualTo(hex(vector, "pkRm"));
  }

  @Test
  void rfc9180FirstEncryptionIsReproducedBySeal() {
    final JsonNode vector = Fixtures.hpke("rfc9180-a5-base.json");
    final JsonNode first = vector.get("encryptions").get(0);
    final HPKE suite = HpkeSealer.suite();

    final HpkeEnvelope envelope = HpkeSealer.seal(
        suite,
        suite.deserializePublicKey(hex(vector, "pkRm")),
        hex(vector, "info"),
        hex(first, "aad"),
        hex(first, "pt"),
        suite.deriveKeyPair(hex(vector, "ikmE")));

    assertThat(BASE64.decode(envelope.encapsulatedKeyBase64())).isEqualTo(hex(vector, "enc"));
    assertThat(BASE64.decode(envelope.ciphertextBase64())).isEqualTo(hex(first, "ct"));
  }

  @Test
  void rfc9180EncryptionSequenceAndExportsAreReproducedOnBothSides() throws Exception {
    final JsonNode vector = Fixtures.hpke("rfc9180-a5-base.json");
    final HPKE suite = HpkeSealer.suite();
    final HPKEContextWithEncapsulation sender = suite.setupBaseS(
        suite.deserializePublicKey(hex(vector, "pkRm")), hex(vector, "info"), suite.deriveKeyPair(hex(vector, "ikmE")));
    final HPKEContext receiver =
        suite.setupBaseR(hex(vector, "enc"), suite.deriveKeyPair(hex(vector, "ikmR")), hex(vector, "info"));
    final Map<Integer, JsonNode> bySequence = new HashMap<>();
    vector.get("encryptions").forEach(e -> bySequence.put(e.get("seq").asInt(), e));

    int checked = 0;
    for (int seq = 0; seq <= 256; seq++) {
      final JsonNode expected = bySequence.get(seq);
      final byte[] aad = expected == null ? ("Count-" + seq).getBytes(StandardCharsets.US_ASCII) : hex(expected, "aad");
      final byte[] pt = hex(vector.get("encryptions").get(0), "pt");
      final byte[] ct = sender.seal(aad, pt);
      assertThat(receiver.open(aad, ct)).isEqualTo(pt);
      if (expected != null) {
        assertThat(ct).as("ciphertext %d", seq).isEqualTo(hex(expected, "ct"));
        checked++;
      }
    }
    assertThat(checked).isEqualTo(6);
    for (final JsonNode export : vector.get("exports")) {
      assertThat(sender.export(hex(export, "exporter_context"), export.get("L").asInt()))
          .isEqualTo(hex(export, "exported_value"));
    }
  }

  @Test
  void opensWhatPrivysNodeSdkSealed() throws Exception {
    final JsonNode fixture = Fixtures.hpke("privy-node-interop.json");
    final HpkeRecipient recipient = HpkeRecipient.fromPrivateKey(hex(fixture, "recipient_private_key_hex"));
    final JsonNode sealed = fixture.get("node_sealed");

    final byte[] plaintext = recipient.open(
        new HpkeEnvelope(sealed.get("encapsulated_key").asText(), sealed.get("ciphertext").asText()));

    assertThat(new String(plaintext, StandardCharsets.UTF_8)).isEqualTo(fixture.get("plaintext").asText());
    assertThat(recipient.publicKeySpkiBase64()).isEqualTo(fixture.get("recipient_public_key_spki").asText());
  }

  @Test
  void sealingToTheSdksRecipientKeyMatchesNodeByteForByte() {
    final JsonNode fixture = Fixtures.hpke("privy-node-interop.json");
    final JsonNode expected = fixture.get("deterministic");

    final HpkeEnvelope envelope = HpkeSealer.sealTo(
        fixture.get("recipient_public_key_spki").asText(),
        fixture.get("plaintext").asText().getBytes(StandardCharsets.UTF_8),
        hex(expected, "ikm_e_hex"));

    assertThat(envelope.encapsulatedKeyBase64()).isEqualTo(expected.get("encapsulated_key").asText());
    assertThat(envelope.ciphertextBase64()).isEqualTo(expected.get("ciphertext").asText());
  }

  @Test
  void sessionKeysWeSealedWereOpenedAndUsedByPrivysNodeSdk() throws Exception {
    final JsonNode fixture = Fixtures.hpke("privy-node-interop.json");
    final JsonNode checked = Fixtures.hpke("java-sealed-checked.json");
    final HpkeRecipient recipient = HpkeRecipient.fromPrivateKey(hex(fixture, "recipient_private_key_hex"));
    final byte[] payload = checked.get("payload_utf8").asText().getBytes(StandardCharsets.UTF_8);

    assertThat(checked.get("entries")).hasSize(3);
    for (final JsonNode entry : checked.get("entries")) {
      final String pkcs8 = new String(recipient.open(
          new HpkeEnvelope(entry.get("encapsulated_key").asText(), entry.get("ciphertext").asText())),
          StandardCharsets.UTF_8);
      final P256PublicKey sessionKey = P256PublicKey.parse(entry.get("session_public_key_spki").asText());

      assertThat(BASE64.decode(pkcs8)).hasSize(138);
      assertThat(sessionKey.verify(payload, BASE64.decode(entry.get("sdk_signature_over_payload").asText()))).isTrue();
    }
  }

  private static byte[] hex(final JsonNode node, final String field) {
    return HEX.parseHex(node.get(field).asText());
  }
}
