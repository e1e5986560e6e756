package dev.mandate.enclave.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.function.BiPredicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Google's Wycheproof vectors: every {@code valid} case verifies and every {@code invalid} one is
 * refused. The files hold no {@code acceptable} case (asserted, so an update forces a decision);
 * the verifier is strict, so such a case would be expected to be refused. Run on both backends:
 * AWS-LC (ACCP) and the pure-Java BouncyCastle fallback.
 */
class WycheproofP256Test {
  private static final HexFormat HEX = HexFormat.of();

  @Test
  void awsLcVerifiesOnThisPlatform() throws IOException {
    final JsonNode group = load("ecdsa_secp256r1_sha256_test.json").get("testGroups").get(0);
    assertThat(keyOf(group, P256PublicKey.Backend.PREFERRED).verifiesNatively()).isTrue();
    assertThat(keyOf(group, P256PublicKey.Backend.BOUNCY_CASTLE).verifiesNatively()).isFalse();
  }

  @ParameterizedTest
  @EnumSource(P256PublicKey.Backend.class)
  void derSignaturesVerifyExactlyWhenWycheproofSaysValid(final P256PublicKey.Backend backend) throws IOException {
    final Tally tally = run("ecdsa_secp256r1_sha256_test.json", backend, (key, c) -> key.verify(c.msg, c.sig));

    assertThat(tally.failures).isEmpty();
    assertThat(tally.valid).isEqualTo(174);
    assertThat(tally.invalid).isEqualTo(310);
    assertThat(tally.acceptable).isZero();
  }

  @ParameterizedTest
  @EnumSource(P256PublicKey.Backend.class)
  void p1363SignaturesVerifyExactlyWhenWycheproofSaysValid(final P256PublicKey.Backend backend) throws IOException {
    final Tally tally = run("ecdsa_secp256r1_sha256_p1363_test.json", backend, (key, c) -> key.verifyP1363(c.msg, c.sig));

    assertThat(tally.failures).isEmpty();
    assertThat(tally.valid).isEqualTo(173);
    assertThat(tally.invalid).isEqualTo(89);
    assertThat(tally.acceptable).isZero();
  }

  @Test
  void everyWycheproofKeyParsesFromDerAndPemAlike() throws IOException {
    int groups = 0;
    for (final JsonNode group : load("ecdsa_secp256r1_sha256_test.json").get("testGroups")) {
      final P256PublicKey fromDer = keyOf(group);
      assertThat(P256PublicKey.parse(group.get("publicKeyPem").asText())).isEqualTo(fromDer);
      groups++;
    }
    assertThat(groups).isEqualTo(113);
  }

  private static Tally run(final String file, final P256PublicKey.Backend backend,
      final BiPredicate<P256PublicKey, Case> verifier) throws IOException {
    final Tally tally = new Tally();
    for (final JsonNode group : load(file).get("testGroups")) {
      final P256PublicKey key = keyOf(group, backend);
      for (final JsonNode test : group.get("tests")) {
        final Case c = new Case(HEX.parseHex(test.get("msg").asText()), HEX.parseHex(test.get("sig").asText()));
        final String result = test.get("result").asText();
        final boolean verified = verifier.test(key, c);
        switch (result) {
          case "valid" -> tally.valid++;
          case "invalid" -> tally.invalid++;
          default -> tally.acceptable++;
        }
        if (verified != result.equals("valid")) {
          tally.failures.add(test.get("tcId").asInt() + " " + result + " " + test.get("comment").asText());
        }
      }
    }
    return tally;
  }

  private static P256PublicKey keyOf(final JsonNode group, final P256PublicKey.Backend backend) {
    return keyOf(group).with(backend);
  }

  private static P256PublicKey keyOf(final JsonNode group) {
    return P256PublicKey.parse(Base64.getEncoder().encodeToString(HEX.parseHex(group.get("publicKeyDer").asText())));
  }

  private static JsonNode load(final String file) throws IOException {
    try (InputStream in = WycheproofP256Test.class.getResourceAsStream("/vectors/wycheproof-p256/" + file)) {
      assertThat(in).as(file).isNotNull();
      return new ObjectMapper().readTree(in);
    }
  }

  private record Case(byte[] msg, byte[] sig) {}

  private static final class Tally {
    int valid;
    int invalid;
    int acceptable;
    final List<String> failures = new ArrayList<>();
  }
}
