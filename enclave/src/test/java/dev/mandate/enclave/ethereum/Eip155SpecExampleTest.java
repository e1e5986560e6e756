package dev.mandate.enclave.ethereum;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The worked example in EIP-155 itself, sent the way a Privy client sends it. */
class Eip155SpecExampleTest {
  private static final JsonNode EXAMPLE = TestSupport.resource("/vectors/ethers/eip155-spec-example.json");

  static Stream<Secp256k1Backend> backends() {
    return TestSupport.backends();
  }

  @ParameterizedTest
  @MethodSource("backends")
  void reproducesTheSigningDataHashSignatureAndSignedTransaction(final Secp256k1Backend backend) {
    final ObjectNode body = TestSupport.JSON.createObjectNode();
    body.put("method", "eth_signTransaction");
    body.put("chain_type", "ethereum");
    body.set("params", EXAMPLE.get("privy_eth_signTransaction_params"));
    final TransactionRequest request = (TransactionRequest) SigningRequest.parseRpc("eth_signTransaction", body);

    assertThat(Hex.encode(request.unsignedSerialization())).isEqualTo(EXAMPLE.get("signing_data").asText());
    assertThat(Hex.encode(request.digest())).isEqualTo(EXAMPLE.get("signing_hash").asText());
    assertThat(request.chainId()).contains(BigInteger.ONE);
    assertThat(request.to()).contains(EthAddress.parse(EXAMPLE.get("transaction").get("to").asText()));
    assertThat(request.value()).isEqualTo(new BigInteger(EXAMPLE.get("transaction").get("value").asText()));

    try (Secp256k1PrivateKey key = TestSupport.key(EXAMPLE.get("private_key").asText(), backend)) {
      assertThat(key.address().toChecksumHex()).isEqualTo(EXAMPLE.get("address").asText());
      final RecoverableSignature signature = key.signDigest(request.digest());
      assertThat(signature.r()).isEqualTo(new BigInteger(EXAMPLE.get("r").asText()));
      assertThat(signature.s()).isEqualTo(new BigInteger(EXAMPLE.get("s").asText()));
      assertThat(37 - 35 - 2 * 1).isEqualTo(signature.yParity()); // v = 37 = 1 * 2 + 35 + parity
      assertThat(EXAMPLE.get("v").asInt()).isEqualTo(2 + 35 + signature.yParity());
      assertThat(request.sign(key).get("signed_transaction").asText()).isEqualTo(EXAMPLE.get("signed_transaction").asText());
    }
  }
}
