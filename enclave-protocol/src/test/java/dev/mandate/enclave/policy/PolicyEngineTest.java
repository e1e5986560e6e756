package dev.mandate.enclave.policy;

import static dev.mandate.enclave.policy.Fixtures.PERSONAL_SIGN;
import static dev.mandate.enclave.policy.Fixtures.SEND_TX;
import static dev.mandate.enclave.policy.Fixtures.USDC;
import static dev.mandate.enclave.policy.Fixtures.condition;
import static dev.mandate.enclave.policy.Fixtures.evaluate;
import static dev.mandate.enclave.policy.Fixtures.policy;
import static dev.mandate.enclave.policy.Fixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyEngineTest {
  private static final String MAX_UINT256_HEX = "0x" + "f".repeat(64);
  private static final String MAX_UINT256_DEC =
      "115792089237316195423570985008687907853269984665640564039457584007913129639935";

  private static final String TO_IS_USDC = condition("ethereum_transaction", "to", "eq", "\"" + USDC + "\"");
  private static final String VALUE_OVER_1_ETH = condition("ethereum_transaction", "value", "gt", "\"1000000000000000000\"");

  @Test
  void deniesEverythingWhenThePolicyHasNoRules() {
    final Decision decision = evaluate(policy("[]"), SEND_TX);

    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reason()).isEqualTo("no rule matched");
    assertThat(decision.ruleId()).isEmpty();
  }

  @Test
  void deniesWhenNoRuleMatches() {
    final Policy policy = policy("[" + rule("only others", "eth_sendTransaction", "ALLOW",
        condition("ethereum_transaction", "to", "eq", "\"" + Fixtures.OTHER + "\"")) + "]");

    assertThat(evaluate(policy, SEND_TX)).isEqualTo(Decision.noRuleMatched());
  }

  @Test
  void allowsThroughAMatchingAllowRuleAndNamesIt() {
    final Policy policy = policy("[" + rule("USDC only", "eth_sendTransaction", "ALLOW", TO_IS_USDC) + "]");

    final Decision decision = evaluate(policy, SEND_TX);

    assertThat(decision.allowed()).isTrue();
    assertThat(decision.ruleId()).contains("rule-1");
    assertThat(decision.ruleName()).contains("USDC only");
    assertThat(decision.ruleAction()).contains("ALLOW");
    assertThat(decision.reason()).isEqualTo("ALLOW rule \"USDC only\" matched");
  }

  @Test
  void denyBeatsAllowWhateverTheOrder() {
    final String allow = rule("allow all", "*", "ALLOW");
    final String deny = rule("block USDC", "eth_sendTransaction", "DENY", TO_IS_USDC);

    for (final Policy policy : List.of(policy("[" + allow + "," + deny + "]"), policy("[" + deny + "," + allow + "]"))) {
      final Decision decision = evaluate(policy, SEND_TX);
      assertThat(decision.allowed()).isFalse();
      assertThat(decision.ruleName()).contains("block USDC");
      assertThat(decision.ruleAction()).contains("DENY");
    }
  }

  @Test
  void aDenyRuleThatDoesNotMatchLeavesTheAllow() {
    final Policy policy = policy("[" + rule("allow all", "*", "ALLOW") + ","
        + rule("no big transfers", "eth_sendTransaction", "DENY", VALUE_OVER_1_ETH) + "]");

    assertThat(evaluate(policy, SEND_TX).ruleName()).contains("allow all");
  }

  @Test
  void considersOnlyRulesForTheRequestedMethod() {
    final Policy policy = policy("[" + rule("sign messages", "personal_sign", "ALLOW") + ","
        + rule("block sends", "eth_sendTransaction", "DENY") + "]");

    assertThat(evaluate(policy, PERSONAL_SIGN).allowed()).isTrue();
    assertThat(evaluate(policy, SEND_TX).ruleName()).contains("block sends");
    assertThat(evaluate(policy, Fixtures.TYPED_DATA)).isEqualTo(Decision.noRuleMatched());
    assertThat(evaluate(policy("[" + rule("sign tx", "eth_signTransaction", "ALLOW") + "]"), SEND_TX).allowed())
        .as("eth_signTransaction rules do not cover eth_sendTransaction").isFalse();
  }

  @Test
  void wildcardRulesApplyToEveryMethod() {
    final Policy policy = policy("[" + rule("anything", "*", "ALLOW") + "]");

    assertThat(evaluate(policy, PERSONAL_SIGN).allowed()).isTrue();
    assertThat(evaluate(policy, SEND_TX).allowed()).isTrue();
    assertThat(evaluate(policy, Fixtures.AUTHORIZATION).allowed()).isTrue();
  }

  @Test
  void aWildcardDenyOnWhatATransactionHoldsRefusesHashSigningWhoseDigestMayBeATransactions() {
    final Policy policy = policy("[" + rule("no more than 1 ETH", "*", "DENY",
        condition("ethereum_transaction", "value", "gt", "\"1000000000000000000\"")) + ","
        + rule("anything else", "*", "ALLOW") + "]");
    final JsonNode hash = Json.parse("{\"params\":{\"hash\":\"0x" + "ab".repeat(32) + "\"}}");

    for (final String method : List.of("raw_sign", "signRawMessageBytes", "secp256k1_sign")) {
      final Decision decision = PolicyEngine.evaluate(policy, method, hash, Fixtures.CTX);
      assertThat(decision.allowed()).as(method).isFalse();
    }
    assertThat(evaluate(policy, PERSONAL_SIGN).allowed()).as("a prefixed message digest is never a transaction's").isTrue();
  }

  @Test
  void treatsRawSignAndSignRawMessageBytesAsOneMethod() {
    final JsonNode body = Json.parse("{\"params\":{\"hash\":\"0x" + "ab".repeat(32) + "\"}}");

    assertThat(PolicyEngine.evaluate(policy("[" + rule("raw", "signRawMessageBytes", "ALLOW") + "]"), "raw_sign", body,
        Fixtures.CTX).allowed()).isTrue();
    assertThat(PolicyEngine.evaluate(policy("[" + rule("raw", "raw_sign", "ALLOW") + "]"), "signRawMessageBytes", body,
        Fixtures.CTX).allowed()).isTrue();
    assertThat(PolicyEngine.evaluate(policy("[" + rule("raw", "raw_sign", "ALLOW") + "]"), "secp256k1_sign", body,
        Fixtures.CTX).allowed()).isFalse();
  }

  @Test
  void aDenyOnOneDigestSigningMethodCoversTheOthers() {
    final JsonNode body = Json.parse("{\"params\":{\"hash\":\"0x" + "ab".repeat(32) + "\"}}");
    for (final String denied : java.util.List.of("secp256k1_sign", "raw_sign", "signRawMessageBytes")) {
      final String rules = "[" + rule("no hashes", denied, "DENY") + "," + rule("anything", "*", "ALLOW") + "]";
      for (final String asked : java.util.List.of("secp256k1_sign", "raw_sign", "signRawMessageBytes")) {
        assertThat(PolicyEngine.evaluate(policy(rules), asked, body, Fixtures.CTX).allowed()).as(denied + " vs " + asked)
            .isFalse();
      }
    }
  }

  @Test
  void requiresEveryConditionOfARule() {
    final String both = rule("USDC and big", "eth_sendTransaction", "ALLOW", TO_IS_USDC, VALUE_OVER_1_ETH);
    final String small = condition("ethereum_transaction", "value", "lte", "\"0x2386F26FC10000\"");

    assertThat(evaluate(policy("[" + both + "]"), SEND_TX).allowed()).isFalse();
    assertThat(evaluate(policy("[" + rule("USDC and small", "*", "ALLOW", TO_IS_USDC, small) + "]"), SEND_TX).allowed())
        .isTrue();
  }

  @Test
  void comparesFullWidth256BitValuesInHexAndDecimal() {
    final String tx = sendTx("{\"to\":\"" + USDC + "\",\"value\":\"" + MAX_UINT256_HEX + "\"}");
    final String decimalTx = sendTx("{\"to\":\"" + USDC + "\",\"value\":\"" + MAX_UINT256_DEC + "\"}");
    final BigInteger maxMinusOne = new BigInteger(MAX_UINT256_DEC).subtract(BigInteger.ONE);

    assertThat(evaluate(allowIf("value", "eq", MAX_UINT256_DEC), tx).allowed()).isTrue();
    assertThat(evaluate(allowIf("value", "eq", MAX_UINT256_HEX), decimalTx).allowed()).isTrue();
    assertThat(evaluate(allowIf("value", "gt", maxMinusOne.toString()), tx).allowed()).isTrue();
    assertThat(evaluate(allowIf("value", "lt", MAX_UINT256_HEX), tx).allowed()).isFalse();
    assertThat(evaluate(allowIf("value", "lte", "0x" + maxMinusOne.toString(16)), tx).allowed()).isFalse();
  }

  @Test
  void readsQuantitiesAsJsonNumbersDecimalOrHexStrings() {
    assertThat(evaluate(allowIf("value", "eq", "0x3e8"), sendTx("{\"to\":\"" + USDC + "\",\"value\":1000}")).allowed()).isTrue();
    assertThat(evaluate(allowIf("value", "eq", "1000"), sendTx("{\"to\":\"" + USDC + "\",\"value\":\"1000\"}")).allowed()).isTrue();
    assertThat(evaluate(allowIf("value", "eq", "1000"), sendTx("{\"to\":\"" + USDC + "\",\"value\":\"0x03E8\"}")).allowed()).isTrue();
    assertThat(evaluate(allowIf("value", "eq", "1000"), sendTx("{\"to\":\"" + USDC + "\",\"value\":\"1e3\"}")).allowed())
        .as("not a quantity").isFalse();
  }

  @Test
  void readsAMissingTransactionValueAsZero() {
    final String noValue = sendTx("{\"to\":\"" + USDC + "\"}");

    assertThat(evaluate(allowIf("value", "eq", "0"), noValue).allowed()).isTrue();
    assertThat(evaluate(allowIf("value", "lte", "0x0"), noValue).allowed()).isTrue();
  }

  @Test
  void aMissingFieldMakesTheConditionFalse() {
    final String contractCreation = sendTx("{\"value\":\"0x1\",\"data\":\"0x6080\"}");
    final Policy denyUsdcElseAllow = policy("[" + rule("deny USDC", "*", "DENY", TO_IS_USDC) + ","
        + rule("allow all", "*", "ALLOW") + "]");

    assertThat(evaluate(allowIf("to", "eq", USDC), contractCreation).allowed()).isFalse();
    assertThat(evaluate(denyUsdcElseAllow, contractCreation).ruleName()).contains("allow all");
    assertThat(evaluate(policy("[" + rule("r", "*", "ALLOW",
        condition("ethereum_calldata", "function_name", "eq", "\"transfer\"").replace("}", ",\"abi\":"
            + AbiDecoderTest.ERC20_ABI + "}")) + "]"), contractCreation).allowed()).as("unknown selector").isFalse();
  }

  @Test
  void takesTheChainIdFromCaip2WhenTheTransactionHasNone() {
    final String onBase = "{\"method\":\"eth_sendTransaction\",\"caip2\":\"eip155:8453\",\"params\":{\"transaction\":{\"to\":\""
        + USDC + "\"}}}";
    final String noChain = "{\"method\":\"eth_signTransaction\",\"params\":{\"transaction\":{\"to\":\"" + USDC + "\"}}}";

    assertThat(evaluate(allowIf("chain_id", "eq", "8453"), onBase).allowed()).isTrue();
    assertThat(evaluate(allowIf("chain_id", "eq", "8453"), noChain).allowed()).isFalse();
    assertThat(evaluate(allowIf("chain_id", "eq", "8453"), sendTx("{\"chainId\":\"0x2105\"}")).allowed())
        .as("camelCase chainId, as viem sends it").isTrue();
    assertThat(evaluate(allowIf("chain_id", "eq", "8453"), sendTx("{\"chainId\":\"0x2105\"}").replace("eip155:8453", "eip155:1")).allowed())
        .as("a chain id that contradicts caip2 is refused").isFalse();
  }

  @Test
  void allowsOnlyInsideATimeWindow() {
    final Policy window = policy("[" + rule("business hours", "*", "ALLOW",
        condition("system", "current_unix_timestamp", "gte", "\"1756699200\""),
        condition("system", "current_unix_timestamp", "lte", "1756702800")) + "]");

    assertThat(evaluate(window, PERSONAL_SIGN, EvaluationContext.at(Instant.ofEpochSecond(1_756_699_199))).allowed()).isFalse();
    assertThat(evaluate(window, PERSONAL_SIGN, EvaluationContext.at(Instant.ofEpochSecond(1_756_699_200))).allowed()).isTrue();
    assertThat(evaluate(window, PERSONAL_SIGN, EvaluationContext.at(Instant.ofEpochSecond(1_756_702_800, 500_000_000)))
        .allowed()).isTrue();
    assertThat(evaluate(window, PERSONAL_SIGN, EvaluationContext.at(Instant.ofEpochSecond(1_756_702_801))).allowed()).isFalse();
  }

  @Test
  void capsSpendingThroughAnAggregationTheCallerComputes() {
    final Policy cap = policy("[" + rule("daily cap", "eth_sendTransaction", "ALLOW",
        condition("reference", "aggregation.daily", "lte", "\"10000\"")) + "]");
    final Instant now = Instant.ofEpochSecond(Fixtures.NOW);

    assertThat(evaluate(cap, SEND_TX, EvaluationContext.of(now, Map.of(), Map.of("daily", BigInteger.valueOf(10_000))))
        .allowed()).isTrue();
    assertThat(evaluate(cap, SEND_TX, EvaluationContext.of(now, Map.of(), Map.of("daily", BigInteger.valueOf(10_001))))
        .allowed()).isFalse();
    assertThat(evaluate(cap, SEND_TX, EvaluationContext.at(now)).allowed()).as("unknown aggregation").isFalse();
  }

  @Test
  void matchesConditionSetsCaseInsensitivelyForAddresses() {
    final Policy policy = policy("[" + rule("allowlisted", "*", "ALLOW",
        condition("ethereum_transaction", "to", "in_condition_set", "\"set-1\"")) + "]");
    final Instant now = Instant.ofEpochSecond(Fixtures.NOW);

    assertThat(evaluate(policy, SEND_TX, EvaluationContext.of(now, Map.of("set-1", List.of(USDC.toLowerCase())), Map.of()))
        .allowed()).isTrue();
    assertThat(evaluate(policy, SEND_TX, EvaluationContext.of(now, Map.of("set-1", List.of(Fixtures.OTHER)), Map.of()))
        .allowed()).isFalse();
    assertThat(evaluate(policy, SEND_TX, EvaluationContext.at(now)).allowed()).isFalse();
  }

  /**
   * A condition set item the field can never equal (an EVM address without 0x, with a space, text in a
   * number set) would make a DENY silently never fire: the condition is unknown instead, so a DENY
   * refuses and an ALLOW does not allow.
   */
  @Test
  void aConditionSetItemTheFieldCanNeverEqualFailsClosed() {
    final Policy deny = policy("[" + rule("blocklisted", "*", "DENY",
        condition("ethereum_transaction", "to", "in_condition_set", "\"set-1\"")) + ","
        + rule("anything", "*", "ALLOW") + "]");
    final Policy allow = policy("[" + rule("allowlisted", "*", "ALLOW",
        condition("ethereum_transaction", "to", "in_condition_set", "\"set-1\"")) + "]");
    final Instant now = Instant.ofEpochSecond(Fixtures.NOW);
    for (final String malformed : List.of(USDC.substring(2), " " + USDC, USDC + "0", "usdc")) {
      final EvaluationContext ctx = EvaluationContext.of(now, Map.of("set-1", List.of(Fixtures.OTHER, malformed)), Map.of());
      assertThat(evaluate(deny, SEND_TX, ctx).allowed()).as("DENY with item " + malformed).isFalse();
      assertThat(evaluate(allow, SEND_TX, ctx).allowed()).as("ALLOW with item " + malformed).isFalse();
    }
    final EvaluationContext wellFormed = EvaluationContext.of(now, Map.of("set-1", List.of(Fixtures.OTHER)), Map.of());
    assertThat(evaluate(deny, SEND_TX, wellFormed).allowed()).as("not on the blocklist").isTrue();
  }

  @Test
  void matchesNarrowCalldataIntegersUnlikePrivy() {
    final String abi = "[{\"type\":\"function\",\"name\":\"setFee\",\"inputs\":[{\"name\":\"bps\",\"type\":\"uint8\"}]}]";
    final String selector = AbiDecoder.parse(Json.parse(abi)).functions().get(0).selector();
    final Policy policy = policy("[" + rule("low fees", "eth_signTransaction", "ALLOW",
        condition("ethereum_calldata", "setFee.bps", "lte", "\"50\"").replace("}", ",\"abi\":" + abi + "}")) + "]");

    assertThat(evaluate(policy, signTx(Calldata.call(selector).uint(30).hex())).allowed()).isTrue();
    assertThat(evaluate(policy, signTx(Calldata.call(selector).uint(51).hex())).allowed()).isFalse();
  }

  @Test
  void deniesByFunctionNameEvenWhenTheArgumentsAreJunk() {
    final Policy policy = policy("[" + rule("allow all", "*", "ALLOW") + "," + rule("no approvals", "*", "DENY",
        condition("ethereum_calldata", "function_name", "eq", "\"approve\"")
            .replace("}", ",\"abi\":" + AbiDecoderTest.ERC20_ABI + "}")) + "]");

    assertThat(evaluate(policy, signTx("0x095ea7b3" + "00".repeat(7))).ruleName()).contains("no approvals");
    assertThat(evaluate(policy, signTx("0xzz")).allowed()).as("not hex: the signer refuses it, so does the policy").isFalse();
  }

  @Test
  void ignoresTypedDataWhosePrimaryTypeOrStructsDifferFromTheCondition() {
    final String condition = condition("ethereum_typed_data_message", "to.wallet", "eq",
        "\"0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB\"")
        .replace("}", ",\"typed_data\":{\"types\":" + Fixtures.MAIL_TYPES + ",\"primary_type\":\"Mail\"}}");
    final Policy policy = policy("[" + rule("mail to bob", "eth_signTypedData_v4", "ALLOW", condition) + "]");

    assertThat(evaluate(policy, Fixtures.TYPED_DATA).allowed()).isTrue();
    assertThat(evaluate(policy, Fixtures.TYPED_DATA.replace("\"primary_type\":\"Mail\"", "\"primaryType\":\"Mail\"")).allowed())
        .as("camelCase primaryType").isTrue();
    assertThat(evaluate(policy, Fixtures.TYPED_DATA.replace("\"primary_type\":\"Mail\"", "\"primary_type\":\"Person\"")).allowed())
        .isFalse();
    assertThat(evaluate(policy, Fixtures.TYPED_DATA.replace("{\"name\":\"wallet\",\"type\":\"address\"}",
        "{\"name\":\"wallet\",\"type\":\"address\"},{\"name\":\"extra\",\"type\":\"uint8\"}")).allowed())
        .as("Person declared differently").isFalse();
  }

  @Test
  void neverThrowsOnMalformedRequests() {
    final Policy policy = policy("[" + rule("r", "*", "ALLOW", TO_IS_USDC, VALUE_OVER_1_ETH) + ","
        + rule("d", "*", "DENY", condition("ethereum_typed_data_message", "to.wallet", "eq", "\"" + USDC + "\"")
            .replace("}", ",\"typed_data\":{\"types\":" + Fixtures.MAIL_TYPES + ",\"primary_type\":\"Mail\"}}")) + "]");

    for (final String body : List.of("null", "[]", "{}", "{\"params\":[]}", "{\"params\":{\"transaction\":\"0x\"}}",
        "{\"params\":{\"transaction\":{\"to\":7,\"value\":{}}}}", "{\"params\":{\"typed_data\":{\"types\":1,\"message\":[]}}}")) {
      assertThat(PolicyEngine.evaluate(policy, "eth_sendTransaction", Json.parse(body), Fixtures.CTX).allowed()).isFalse();
      assertThat(PolicyEngine.evaluate(policy, "eth_signTypedData_v4", Json.parse(body), Fixtures.CTX).allowed()).isFalse();
    }
    assertThat(PolicyEngine.evaluate(policy, "eth_sendTransaction", null, Fixtures.CTX).allowed()).isFalse();
  }

  @Test
  void explainsDecisionsAsJson() {
    final Policy policy = policy("[" + rule("block USDC", "*", "DENY", TO_IS_USDC) + "]");

    assertThat(evaluate(policy, SEND_TX).toJson()).isEqualTo(Json.parse(
        "{\"decision\":\"DENY\",\"rule\":{\"id\":\"rule-1\",\"name\":\"block USDC\",\"action\":\"DENY\"},"
            + "\"reason\":\"DENY rule \\\"block USDC\\\" matched\"}"));
    assertThat(evaluate(policy, PERSONAL_SIGN).toJson()).isEqualTo(Json.parse(
        "{\"decision\":\"DENY\",\"rule\":null,\"reason\":\"no rule matched\"}"));
    assertThat(evaluate(policy("[" + rule("ok", "*", "ALLOW") + "]"), PERSONAL_SIGN).toJson().path("decision").asText())
        .isEqualTo("ALLOW");
  }

  private static Policy allowIf(final String field, final String operator, final String value) {
    return policy("[" + rule("r", "*", "ALLOW", condition("ethereum_transaction", field, operator, "\"" + value + "\"")) + "]");
  }

  private static String sendTx(final String tx) {
    return "{\"method\":\"eth_sendTransaction\",\"caip2\":\"eip155:8453\",\"params\":{\"transaction\":" + tx + "}}";
  }

  private static String signTx(final String data) {
    return "{\"method\":\"eth_signTransaction\",\"params\":{\"transaction\":{\"to\":\"" + USDC + "\",\"chain_id\":1,\"data\":\""
        + data + "\"}}}";
  }
}
