package dev.mandate.enclave.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AggregationTest {
  private static final String PRIVY_EXAMPLE = """
      {"name":"Daily ETH transfer limit on Base","method":"eth_signTransaction",
       "metric":{"field":"value","field_source":"ethereum_transaction","function":"sum"},
       "window":{"type":"rolling","seconds":86400},
       "conditions":[{"field_source":"ethereum_transaction","field":"chain_id","operator":"eq","value":"84532"}],
       "group_by":[{"field":"to","field_source":"ethereum_transaction"}]}""";

  private static final Aggregation DAILY = Aggregation.parse(Json.parse(PRIVY_EXAMPLE), "agg-1", 1_741_833_088_894L,
      Optional.empty());

  @Test
  void parsesPrivysExampleAndWritesItsAggregationObject() {
    assertThat(DAILY.windowSeconds()).isEqualTo(86_400);
    assertThat(DAILY.toApiJson()).isEqualTo(Json.parse("""
        {"id":"agg-1","name":"Daily ETH transfer limit on Base","method":"eth_signTransaction",
         "metric":{"field_source":"ethereum_transaction","field":"value","function":"sum"},
         "window":{"type":"rolling","seconds":86400},
         "conditions":[{"field_source":"ethereum_transaction","field":"chain_id","operator":"eq","value":"84532"}],
         "group_by":[{"field_source":"ethereum_transaction","field":"to"}],
         "owner_id":null,"created_at":1741833088894}"""));
    assertThat(Aggregation.fromDoc(DAILY.toDoc())).isEqualTo(DAILY);
  }

  @Test
  void contributesTheTransactionValueOfRequestsThatCount() {
    assertThat(DAILY.contribution(signTx("84532", "\"0x2386F26FC10000\""))).isEqualTo(new BigInteger("10000000000000000"));
    assertThat(DAILY.contribution(signTx("84532", "null"))).as("no value").isZero();
    assertThat(DAILY.contribution(signTx("1", "\"0x10\""))).as("condition fails").isZero();
    assertThat(DAILY.contribution(Json.parse(signTx("84532", "16").toString()
        .replace("eth_signTransaction", "eth_sendTransaction")))).as("other method").isZero();
  }

  @Test
  void contributesAMeteredCalldataParameter() {
    final Aggregation usdc = Aggregation.parse(Json.parse("""
        {"name":"USDC per day","method":"eth_sendTransaction","window":{"type":"rolling","seconds":3600},
         "metric":{"field_source":"ethereum_calldata","field":"transfer.amount","function":"sum","abi":%s}}"""
        .formatted(AbiDecoderTest.ERC20_ABI)), "agg-2", 0, Optional.empty());

    assertThat(usdc.contribution(Json.parse(Fixtures.SEND_TX))).isEqualTo(BigInteger.valueOf(1_000_000));
  }

  @Test
  void groupsByNormalisedFieldValues() {
    assertThat(DAILY.groupKey(signTx("84532", "1"))).containsExactly(Fixtures.USDC.toLowerCase());
    assertThat(Aggregation.parse(Json.parse(PRIVY_EXAMPLE.replace(",\n \"group_by\":[{\"field\":\"to\",\"field_source\":\"ethereum_transaction\"}]", "")),
        "a", 0, Optional.empty()).groupKey(signTx("84532", "1"))).isEmpty();
  }

  @Test
  void feedsReferenceConditionsThroughTheContext() {
    final Policy policy = Fixtures.policy("[" + Fixtures.rule("within daily cap", "eth_signTransaction", "ALLOW",
        Fixtures.condition("reference", "aggregation.agg-1", "lte", "\"0x2386F26FC10000\"")) + "]");
    final JsonNode request = signTx("84532", "\"0x2386F26FC10000\"");
    final Instant now = Instant.ofEpochSecond(Fixtures.NOW);
    final BigInteger alreadySpent = BigInteger.ONE;

    final BigInteger windowIncludingThis = alreadySpent.add(DAILY.contribution("eth_signTransaction", request, Fixtures.CTX));

    assertThat(PolicyEngine.evaluate(policy, "eth_signTransaction", request,
        EvaluationContext.of(now, Map.of(), Map.of("agg-1", windowIncludingThis))).allowed()).isFalse();
    assertThat(PolicyEngine.evaluate(policy, "eth_signTransaction", request,
        EvaluationContext.of(now, Map.of(), Map.of("agg-1", windowIncludingThis.subtract(alreadySpent)))).allowed()).isTrue();
  }

  @Test
  void refusesInvalidAggregations() {
    assertThatThrownBy(() -> parse(PRIVY_EXAMPLE.replace("86400", "3599")))
        .hasMessage("Validation error: Expected an integer from 3600 to 259200 at \"window.seconds\"");
    assertThatThrownBy(() -> parse(PRIVY_EXAMPLE.replace("86400", "259201"))).hasMessageEndingWith("at \"window.seconds\"");
    assertThatThrownBy(() -> parse(PRIVY_EXAMPLE.replace("\"sum\"", "\"avg\""))).hasMessageEndingWith("at \"metric.function\"");
    assertThatThrownBy(() -> parse(PRIVY_EXAMPLE.replace("\"field\":\"value\"", "\"field\":\"to\"")))
        .hasMessage("Validation error: The metric must be a numeric field at \"metric.field\"");
    assertThatThrownBy(() -> parse(PRIVY_EXAMPLE.replace("\"eth_signTransaction\"", "\"personal_sign\"")))
        .hasMessageEndingWith("at \"method\"");
    assertThatThrownBy(() -> parse(PRIVY_EXAMPLE.replace("\"rolling\"", "\"fixed\""))).hasMessageEndingWith("at \"window.type\"");
    assertThatThrownBy(() -> parse(PRIVY_EXAMPLE.replace("\"field\":\"chain_id\"", "\"field\":\"gas\"")))
        .hasMessageEndingWith("at \"conditions[0].field\"");
    assertThatThrownBy(() -> parse(PRIVY_EXAMPLE.replace("\"field\":\"to\",\"field_source\":\"ethereum_transaction\"",
        "\"field\":\"current_unix_timestamp\",\"field_source\":\"system\""))).hasMessageEndingWith("at \"group_by[0].field_source\"");
  }

  private static Aggregation parse(final String body) {
    return Aggregation.parse(Json.parse(body), "a", 0, Optional.empty());
  }

  private static JsonNode signTx(final String chainId, final String value) {
    return Json.parse("{\"method\":\"eth_signTransaction\",\"params\":{\"transaction\":{\"to\":\"" + Fixtures.USDC
        + "\",\"chain_id\":\"" + chainId + "\",\"value\":" + value + "}}}");
  }

}
