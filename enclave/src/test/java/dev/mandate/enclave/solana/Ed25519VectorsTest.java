package dev.mandate.enclave.solana;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** RFC 8032 signing vectors and every Wycheproof Ed25519 verification case. */
class Ed25519VectorsTest {
  private static final HexFormat HEX = HexFormat.of();

  static JsonNode resource(final String path) {
    try (InputStream in = Ed25519VectorsTest.class.getResourceAsStream(path)) {
      return new ObjectMapper().readTree(in);
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("missing test resource " + path, e);
    }
  }

  @Test
  void rfc8032KeysDeriveTheirPublicKeyAndSignDeterministically() {
    final JsonNode vectors = resource("/vectors/solana/rfc8032_ed25519.json");
    assertThat(vectors).hasSize(3);
    for (final JsonNode v : vectors) {
      try (Ed25519PrivateKey key = Ed25519PrivateKey.fromSeed(HEX.parseHex(v.path("secret").asText()))) {
        final byte[] message = HEX.parseHex(v.path("message").asText());
        assertThat(HEX.formatHex(key.publicKey())).as(v.path("name").asText()).isEqualTo(v.path("public").asText());
        assertThat(HEX.formatHex(key.sign(message))).as(v.path("name").asText()).isEqualTo(v.path("signature").asText());
        assertThat(Ed25519PrivateKey.verify(key.publicKey(), message, key.sign(message))).isTrue();
      }
    }
  }

  @Test
  void wycheproofValidSignaturesVerifyAndInvalidOnesAreRejected() {
    final JsonNode file = resource("/vectors/solana/wycheproof_ed25519_test.json");
    int valid = 0;
    int invalid = 0;
    for (final JsonNode group : file.path("testGroups")) {
      final byte[] publicKey = HEX.parseHex(group.path("publicKey").path("pk").asText());
      for (final JsonNode test : group.path("tests")) {
        final boolean expected = test.path("result").asText().equals("valid");
        assertThat(test.path("result").asText()).isIn("valid", "invalid");
        final boolean verified = Ed25519PrivateKey.verify(publicKey, HEX.parseHex(test.path("msg").asText()),
            HEX.parseHex(test.path("sig").asText()));
        assertThat(verified).as("tcId " + test.path("tcId").asInt() + " " + test.path("comment").asText()).isEqualTo(expected);
        if (expected) {
          valid++;
        } else {
          invalid++;
        }
      }
    }
    assertThat(valid).isEqualTo(88);
    assertThat(invalid).isEqualTo(63);
  }

  @Test
  void aGeneratedKeysAddressIsItsBase58PublicKeyAndCloseWipesIt() {
    final Ed25519PrivateKey key = Ed25519PrivateKey.generate();
    assertThat(Base58.decodePublicKey(key.address())).hasValueSatisfying(pk -> assertThat(pk).isEqualTo(key.publicKey()));
    assertThat(key.address().length()).isBetween(32, 44);
    key.close();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> key.sign(new byte[1])).isInstanceOf(IllegalStateException.class);
  }
}
