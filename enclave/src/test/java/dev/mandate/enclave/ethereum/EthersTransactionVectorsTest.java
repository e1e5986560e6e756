package dev.mandate.enclave.ethereum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.enclave.InvalidRequestException;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * ethers.js transaction vectors: every case is turned into Privy {@code eth_signTransaction}
 * requests for the four forms it covers, parsed through {@link SigningRequest#parseRpc}, and the
 * unsigned serialization, the signing digest and the signed serialization must match byte for
 * byte. See the README next to the vectors for the generator's defaults that the mapping mirrors
 * (absent fields are zero; typed forms default to chain id 1).
 */
class EthersTransactionVectorsTest {
  private static final JsonNode CASES = TestSupport.resource("/vectors/ethers/ethers-transaction.json.gz");
  /** camelCase vector names → Privy's snake_case. */
  private static final Map<String, String> SNAKE = Map.of(
      "gasLimit", "gas_limit", "gasPrice", "gas_price", "maxFeePerGas", "max_fee_per_gas",
      "maxPriorityFeePerGas", "max_priority_fee_per_gas", "accessList", "access_list", "chainId", "chain_id");

  static Stream<Secp256k1Backend> backends() {
    return TestSupport.backends();
  }

  @ParameterizedTest
  @MethodSource("backends")
  void everyCaseSerializesHashesAndSignsExactlyAsEthers(final Secp256k1Backend backend) {
    int cases = 0;
    int eip155Checked = 0;
    int zeroChainRefused = 0;
    for (final JsonNode c : CASES) {
      final JsonNode tx = c.get("transaction");
      // Alternate spellings: random cases keep ethers' camelCase, masked ones use Privy's snake_case.
      final boolean camel = c.get("name").asText().startsWith("random");
      final boolean zeroChain = tx.has("chainId") && Fields.quantity(tx.get("chainId"), "chainId", 64).signum() == 0;
      try (Secp256k1PrivateKey key = TestSupport.key(c.get("privateKey").asText(), backend)) {
        final ObjectNode legacy = base(tx, 0, camel);
        check(c, "Legacy", legacy, key);

        if (tx.has("chainId") && !zeroChain) {
          final ObjectNode eip155 = base(tx, 0, camel);
          eip155.set(camel ? "chainId" : "chain_id", tx.get("chainId"));
          check(c, "Eip155", eip155, key);
          eip155Checked++;
        }

        final ObjectNode berlin = typed(tx, 1, camel);
        berlin.set(camel ? "gasPrice" : "gas_price", tx.has("gasPrice") ? tx.get("gasPrice") : zero());
        final ObjectNode london = typed(tx, 2, camel);
        london.set(camel ? "maxFeePerGas" : "max_fee_per_gas", tx.has("maxFeePerGas") ? tx.get("maxFeePerGas") : zero());
        london.set(camel ? "maxPriorityFeePerGas" : "max_priority_fee_per_gas",
            tx.has("maxPriorityFeePerGas") ? tx.get("maxPriorityFeePerGas") : zero());
        if (zeroChain) {
          // Chain id 0 names no network; Mandate refuses it as viem does (ethers signs it).
          assertRefusesZeroChain(berlin);
          assertRefusesZeroChain(london);
          zeroChainRefused++;
        } else {
          check(c, "Berlin", berlin, key);
          check(c, "London", london, key);
        }
      }
      cases++;
    }
    assertThat(cases).isEqualTo(896);
    // 384 cases have no chain id and 17 have chain id "0x" (zero); the EIP-155 form of both encodes
    // chain id 0 as the non-canonical RLP byte 0x00 (see the README), which no client produces.
    assertThat(eip155Checked).isEqualTo(495);
    assertThat(zeroChainRefused).isEqualTo(17);
  }

  private static void assertRefusesZeroChain(final ObjectNode transaction) {
    final ObjectNode body = TestSupport.JSON.createObjectNode();
    body.putObject("params").set("transaction", transaction);
    assertThatThrownBy(() -> SigningRequest.parseRpc("eth_signTransaction", body))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("params.transaction.chainId must be a positive chain id");
  }

  private static void check(final JsonNode c, final String form, final ObjectNode transaction, final Secp256k1PrivateKey key) {
    final ObjectNode body = TestSupport.JSON.createObjectNode();
    body.put("method", "eth_signTransaction");
    // The vectors' legacy form has no chain id (pre-EIP-155): signed only with the explicit opt-in.
    body.put("allow_pre_eip155", "Legacy".equals(form));
    body.putObject("params").set("transaction", transaction);
    final TransactionRequest request = (TransactionRequest) SigningRequest.parseRpc("eth_signTransaction", body);
    final String name = c.get("name").asText() + " " + form;
    final byte[] unsigned = Hex.decode(c.get("unsigned" + form).asText());
    assertThat(Hex.encode(request.unsignedSerialization())).as(name).isEqualTo(Hex.encode(unsigned));
    assertThat(request.digest()).as(name).isEqualTo(Keccak.keccak256(unsigned));
    assertThat(request.sign(key).get("signed_transaction").asText()).as(name).isEqualTo(c.get("signed" + form).asText());
  }

  /** A type-0 request: the case's fields minus what legacy transactions lack, with ethers' zero defaults. */
  private static ObjectNode base(final JsonNode tx, final int type, final boolean camel) {
    final ObjectNode out = TestSupport.JSON.createObjectNode();
    out.put("type", type);
    out.set("nonce", tx.has("nonce") ? tx.get("nonce") : zero());
    out.set(camel ? "gasLimit" : "gas_limit", tx.has("gasLimit") ? tx.get("gasLimit") : zero());
    if (type == 0) {
      out.set(camel ? "gasPrice" : "gas_price", tx.has("gasPrice") ? tx.get("gasPrice") : zero());
    }
    for (final String field : new String[] {"to", "value", "data"}) {
      if (tx.has(field)) {
        out.set(field, tx.get(field));
      }
    }
    return out;
  }

  /** A typed request: chain id 1 when the case has none (the generator's default), access list if any. */
  private static ObjectNode typed(final JsonNode tx, final int type, final boolean camel) {
    final ObjectNode out = base(tx, type, camel);
    out.set(camel ? "chainId" : "chain_id", tx.has("chainId") ? tx.get("chainId") : TestSupport.JSON.getNodeFactory().numberNode(1));
    if (tx.has("accessList")) {
      out.set(camel ? "accessList" : SNAKE.get("accessList"), camel ? tx.get("accessList") : snakeAccessList(tx.get("accessList")));
    }
    return out;
  }

  private static JsonNode snakeAccessList(final JsonNode accessList) {
    final var out = TestSupport.JSON.createArrayNode();
    for (final JsonNode entry : accessList) {
      final ObjectNode item = out.addObject();
      item.set("address", entry.get("address"));
      item.set("storage_keys", entry.get("storageKeys"));
    }
    return out;
  }

  private static JsonNode zero() {
    return TestSupport.JSON.getNodeFactory().textNode("0x0");
  }
}
