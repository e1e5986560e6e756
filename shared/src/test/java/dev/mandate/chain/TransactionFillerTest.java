package dev.mandate.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

/** Filling rules against a scripted node; {@link SendTransactionTest} covers a real one. */
class TransactionFillerTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String FROM = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
  private static final String TO = "0x70997970c51812dc3a010c7d01b50e0d17dc79c8";

  private static ObjectNode tx(final String json) {
    try {
      return (ObjectNode) MAPPER.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static StubNode londonNode() {
    return new StubNode()
        .result("eth_getTransactionCount", "\"0x7\"")
        .result("eth_getBlockByNumber", "{\"number\":\"0x1\",\"baseFeePerGas\":\"0x64\"}")
        .result("eth_maxPriorityFeePerGas", "\"0x2\"")
        .result("eth_gasPrice", "\"0x3b9aca00\"")
        .result("eth_estimateGas", "\"0x5208\"");
  }

  @Test
  void fillsAnEip1559TransferWithTwiceTheBaseFeePlusTip() {
    try (StubNode node = londonNode()) {
      final ObjectNode filled = TransactionFiller.fill(tx("{\"to\":\"" + TO + "\",\"value\":1}"), FROM, 31337, node.client());

      assertThat(filled).isEqualTo(tx("{\"to\":\"" + TO + "\",\"value\":1,\"chain_id\":\"0x7a69\",\"nonce\":\"0x7\","
          + "\"type\":\"0x2\",\"max_fee_per_gas\":\"0xca\",\"max_priority_fee_per_gas\":\"0x2\",\"gas_limit\":\"0x5208\"}"));
      assertThat(node.requests().get(0).get("params").toString()).isEqualTo("[\"" + FROM + "\",\"pending\"]");
    }
  }

  @Test
  void fillsALegacyTransactionWhenTheChainHasNoBaseFee() {
    try (StubNode node = londonNode().result("eth_getBlockByNumber", "{\"number\":\"0x1\"}")) {
      final ObjectNode filled = TransactionFiller.fill(tx("{\"to\":\"" + TO + "\"}"), FROM, 5, node.client());

      assertThat(filled.get("type").asText()).isEqualTo("0x0");
      assertThat(filled.get("gas_price").asText()).isEqualTo("0x3b9aca00");
      assertThat(filled.get("chain_id").asText()).isEqualTo("0x5");
      assertThat(filled.has("max_fee_per_gas")).isFalse();
    }
  }

  @Test
  void fallsBackToOneGweiTipWhenTheNodeHasNoPriorityFeeMethod() {
    try (StubNode node = londonNode().error("eth_maxPriorityFeePerGas", -32601, "Method not found")) {
      final ObjectNode filled = TransactionFiller.fill(tx("{\"to\":\"" + TO + "\"}"), FROM, 1, node.client());

      assertThat(filled.get("max_priority_fee_per_gas").asText()).isEqualTo("0x3b9aca00");
      assertThat(filled.get("max_fee_per_gas").asText()).isEqualTo("0x3b9acac8"); // 2 x 100 + 1 gwei
    }
  }

  @Test
  void addsTwentyPercentRoundedUpToEstimatesOfCalls() {
    try (StubNode node = londonNode().result("eth_estimateGas", "\"0x186a1\"")) {
      final ObjectNode filled = TransactionFiller.fill(
          tx("{\"to\":\"" + TO + "\",\"data\":\"0x1234\",\"value\":\"10\"}"), FROM, 1, node.client());

      assertThat(filled.get("gas_limit").asText()).isEqualTo("0x" + Long.toHexString(120_002));
      final var estimate = node.requests().stream()
          .filter(r -> r.get("method").asText().equals("eth_estimateGas")).findFirst().orElseThrow();
      assertThat(estimate.get("params").get(0)).isEqualTo(tx(
          "{\"from\":\"" + FROM + "\",\"to\":\"" + TO + "\",\"value\":\"0xa\",\"data\":\"0x1234\"}"));
    }
  }

  @Test
  void keepsEveryGivenFieldVerbatimAndAsksTheNodeNothing() {
    final ObjectNode given = tx("{\"to\":\"" + TO + "\",\"chainId\":31337,\"nonce\":5,\"type\":2,\"gasLimit\":\"30000\","
        + "\"max_fee_per_gas\":\"0x77359400\",\"maxPriorityFeePerGas\":1}");
    try (StubNode node = londonNode()) {
      final ObjectNode filled = TransactionFiller.fill(given, FROM, 31337, node.client());

      assertThat(filled).isEqualTo(given).isNotSameAs(given);
      assertThat(node.requests()).isEmpty();
    }
  }

  @Test
  void keepsAGivenGasPriceAndMakesTheTransactionLegacy() {
    try (StubNode node = londonNode()) {
      final ObjectNode filled = TransactionFiller.fill(
          tx("{\"to\":\"" + TO + "\",\"gas_price\":\"2000000000\"}"), FROM, 1, node.client());

      assertThat(filled.get("type").asText()).isEqualTo("0x0");
      assertThat(filled.get("gas_price").asText()).isEqualTo("2000000000");
      assertThat(node.methods()).doesNotContain("eth_gasPrice", "eth_getBlockByNumber");
    }
  }

  @Test
  void capsTheSuggestedTipAtTheCallersFeeCap() {
    try (StubNode node = londonNode().result("eth_maxPriorityFeePerGas", "\"0x3b9aca00\"")) {
      final ObjectNode filled = TransactionFiller.fill(
          tx("{\"to\":\"" + TO + "\",\"max_fee_per_gas\":\"0x100\"}"), FROM, 1, node.client());

      assertThat(filled.get("max_priority_fee_per_gas").asText()).isEqualTo("0x100");
      assertThat(filled.get("max_fee_per_gas").asText()).isEqualTo("0x100");
    }
  }

  @Test
  void replacesNullPlaceholders() {
    try (StubNode node = londonNode()) {
      final ObjectNode filled = TransactionFiller.fill(
          tx("{\"to\":\"" + TO + "\",\"nonce\":null,\"gasLimit\":null}"), FROM, 1, node.client());

      assertThat(filled.get("nonce").asText()).isEqualTo("0x7");
      assertThat(filled.get("gas_limit").asText()).isEqualTo("0x5208");
      assertThat(filled.has("gasLimit")).isFalse();
    }
  }

  @Test
  void refusesAMalformedQuantityNamingTheFieldNotTheValue() {
    try (StubNode node = londonNode()) {
      assertThatThrownBy(() -> TransactionFiller.fill(
          tx("{\"to\":\"" + TO + "\",\"value\":\"lots-of-wei\"}"), FROM, 1, node.client()))
          .isInstanceOf(InvalidTransactionException.class)
          .hasMessageContaining("params.transaction.value")
          .hasMessageNotContaining("lots-of-wei");
    }
  }

  @Test
  void reportsAnEstimateThatLacksFundsAsInsufficientFunds() {
    try (StubNode node = londonNode().error("eth_estimateGas", -32000, "insufficient funds for transfer")) {
      assertThatThrownBy(() -> TransactionFiller.fill(tx("{\"to\":\"" + TO + "\",\"value\":1}"), FROM, 1, node.client()))
          .isInstanceOf(InsufficientFundsException.class)
          .hasMessage("insufficient funds for transfer");
    }
  }

  @Test
  void reportsAnEstimateThatRevertsWithItsData() {
    try (StubNode node = londonNode().error("eth_estimateGas", 3, "execution reverted")) {
      assertThatThrownBy(() -> TransactionFiller.fill(tx("{\"to\":\"" + TO + "\"}"), FROM, 1, node.client()))
          .isInstanceOfSatisfying(GasEstimationFailedException.class, e ->
              assertThat(e.revertData()).hasValueSatisfying(d -> assertThat(d.asText()).isEqualTo("0xdead")));
    }
  }
}
