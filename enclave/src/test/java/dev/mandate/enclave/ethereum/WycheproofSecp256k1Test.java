package dev.mandate.enclave.ethereum;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mandate.enclave.ethereum.Secp256k1PublicKey.SValues;
import dev.mandate.enclave.ethereum.Secp256k1PublicKey.SignatureEncoding;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Wycheproof ECDSA secp256k1/SHA-256: every {@code valid} case verifies and every {@code invalid}
 * one is rejected, on both backends. The files have no {@code acceptable} cases (asserted: if an
 * update adds some, someone must decide; our DER parser is strict, so they would be rejected).
 */
class WycheproofSecp256k1Test {
  static Stream<Arguments> files() {
    return TestSupport.backends().flatMap(backend -> Stream.of(
        Arguments.of("ecdsa_secp256k1_sha256_test.json", SignatureEncoding.DER, SValues.ANY, 476, 168, backend),
        Arguments.of("ecdsa_secp256k1_sha256_p1363_test.json", SignatureEncoding.P1363, SValues.ANY, 252, 167, backend),
        Arguments.of("ecdsa_secp256k1_sha256_bitcoin_test.json", SignatureEncoding.DER, SValues.LOW_ONLY, 463, 162, backend)));
  }

  @ParameterizedTest(name = "{0} {2} {5}")
  @MethodSource("files")
  void validSignaturesVerifyAndInvalidOnesAreRejected(
      final String file, final SignatureEncoding encoding, final SValues sValues, final int expectedCases, final int expectedValid,
      final Secp256k1Backend backend) throws NoSuchAlgorithmException {
    final JsonNode vectors = TestSupport.resource("/vectors/wycheproof-secp256k1/" + file);
    int cases = 0;
    int valid = 0;
    for (final JsonNode group : vectors.get("testGroups")) {
      final Secp256k1PublicKey key = Secp256k1PublicKey
          .fromEncoded(Hex.decode(group.get("publicKey").get("uncompressed").asText()), backend);
      for (final JsonNode test : group.get("tests")) {
        final String result = test.get("result").asText();
        assertThat(result).as("tcId %s", test.get("tcId")).isIn("valid", "invalid");
        final byte[] digest = MessageDigest.getInstance("SHA-256").digest(Hex.decode(test.get("msg").asText()));
        final boolean verified = key.verify(digest, Hex.decode(test.get("sig").asText()), encoding, sValues);
        assertThat(verified).as("tcId %s (%s): %s", test.get("tcId"), result, test.get("comment"))
            .isEqualTo(result.equals("valid"));
        cases++;
        valid += verified ? 1 : 0;
      }
    }
    assertThat(cases).isEqualTo(expectedCases).isEqualTo(vectors.get("numberOfTests").asInt());
    assertThat(valid).isEqualTo(expectedValid);
  }
}
