package dev.mandate.enclave.policy;

import static dev.mandate.enclave.policy.Fixtures.condition;
import static dev.mandate.enclave.policy.Fixtures.evaluate;
import static dev.mandate.enclave.policy.Fixtures.policy;
import static dev.mandate.enclave.policy.Fixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mandate.enclave.InvalidRequestException;
import dev.mandate.enclave.ethereum.SigningRequest;
import java.math.BigInteger;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Policies judge the parsed object whose digest is signed, and fail closed on what it leaves open
 * (issue 10, attacks 1, 5 and 6). Each case here got a signature before the engine read the parsed request.
 */
class SignedObjectPolicyTest {
  private static final String SPENDER = "0x9999999999999999999999999999999999999999";
  private static final String TOKEN = "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913";
  private static final String PERMIT_TYPES = """
      "Permit":[{"name":"owner","type":"address"},{"name":"spender","type":"address"},{"name":"value","type":"uint256"},
                {"name":"nonce","type":"uint256"},{"name":"deadline","type":"uint256"}]""";
  private static final String ALLOW_ALL = rule("anything", "*", "ALLOW");

  private static String permit(final String primaryTypeMembers, final String permitTypes, final String domainType,
      final String domain) {
    return """
        {"method":"eth_signTypedData_v4","params":{"typed_data":{
          "domain":%s,
          "types":{%s%s},
          %s,
          "message":{"owner":"0x1111111111111111111111111111111111111111","spender":"%s","value":"1000","nonce":0,"deadline":1}}}}"""
        .formatted(domain, domainType, permitTypes, primaryTypeMembers, SPENDER);
  }

  private static String permit(final String primaryTypeMembers) {
    return permit(primaryTypeMembers, PERMIT_TYPES, "", "{\"name\":\"USD Coin\",\"chainId\":1,\"verifyingContract\":\"" + TOKEN + "\"}");
  }

  private static String denySpender() {
    return condition("ethereum_typed_data_message", "spender", "eq", "\"" + SPENDER + "\"")
        .replace("}", ",\"typed_data\":{\"types\":{" + PERMIT_TYPES + "},\"primary_type\":\"Permit\"}}");
  }

  private static Policy allowAllButSpender() {
    return policy("[" + ALLOW_ALL + "," + rule("no permit to spender", "eth_signTypedData_v4", "DENY", denySpender()) + "]");
  }

  @Test
  void aNullPrimaryTypeNextToPrimaryTypeDoesNotHideThePermit() {
    assertThat(evaluate(allowAllButSpender(), permit("\"primaryType\":\"Permit\"")).ruleName()).contains("no permit to spender");
    assertThat(evaluate(allowAllButSpender(), permit("\"primary_type\":null,\"primaryType\":\"Permit\"")).ruleName())
        .contains("no permit to spender");
    assertThat(evaluate(allowAllButSpender(), permit("\"primaryType\":\"Permit\",\"primary_type\":null")).allowed()).isFalse();
  }

  @Test
  void aPermitDeclaredDifferentlyCannotDodgeTheDeny() {
    final String extraMember = PERMIT_TYPES.replace("{\"name\":\"deadline\",\"type\":\"uint256\"}",
        "{\"name\":\"deadline\",\"type\":\"uint256\"},{\"name\":\"salt\",\"type\":\"uint8\"}");
    final String body = permit("\"primary_type\":\"Permit\"", extraMember, "",
        "{\"name\":\"USD Coin\",\"chainId\":1,\"verifyingContract\":\"" + TOKEN + "\"}").replace("\"deadline\":1}", "\"deadline\":1,\"salt\":1}");
    final Decision decision = evaluate(allowAllButSpender(), body);
    assertThat(decision.allowed()).isFalse();
    assertThat(decision.reason()).contains("could not be ruled out");
  }

  @Test
  void messageMembersTheTypesDoNotDeclareAreNotRead() {
    final String allowSpender = condition("ethereum_typed_data_message", "spender", "eq", "\"" + SPENDER + "\"")
        .replace("}", ",\"typed_data\":{\"types\":{" + PERMIT_TYPES + "},\"primary_type\":\"Permit\"}}");
    final Policy policy = policy("[" + rule("permit to spender", "eth_signTypedData_v4", "ALLOW", allowSpender) + "]");
    final String other = "0x4444444444444444444444444444444444444444";
    // The signed spender is "other"; an undeclared "Spender" / extra member naming SPENDER must not count.
    assertThat(evaluate(policy, permit("\"primary_type\":\"Permit\"").replace("\"spender\":\"" + SPENDER + "\"",
        "\"spender\":\"" + other + "\",\"Spender\":\"" + SPENDER + "\"")).allowed()).isFalse();
    assertThat(evaluate(policy, permit("\"primary_type\":\"Permit\"")).allowed()).isTrue();
  }

  @Test
  void domainConditionsOnlyReadMembersEip712DomainDeclares() {
    final String undeclared = permit("\"primary_type\":\"Permit\"", PERMIT_TYPES,
        "\"EIP712Domain\":[{\"name\":\"name\",\"type\":\"string\"}],",
        "{\"name\":\"USD Coin\",\"chainId\":1,\"verifyingContract\":\"" + TOKEN + "\"}");
    final Policy allowToken = policy("[" + rule("token only", "eth_signTypedData_v4", "ALLOW",
        condition("ethereum_typed_data_domain", "verifyingContract", "eq", "\"" + TOKEN + "\"")) + "]");
    final Policy allowChain = policy("[" + rule("mainnet only", "eth_signTypedData_v4", "ALLOW",
        condition("ethereum_typed_data_domain", "chainId", "eq", "\"1\"")) + "]");
    final Policy denyToken = policy("[" + ALLOW_ALL + "," + rule("not the token", "*", "DENY",
        condition("ethereum_typed_data_domain", "verifying_contract", "eq", "\"" + TOKEN + "\"")) + "]");

    assertThat(evaluate(allowToken, permit("\"primary_type\":\"Permit\"")).allowed()).as("derived domain type").isTrue();
    assertThat(evaluate(allowToken, undeclared).allowed()).as("verifyingContract not signed").isFalse();
    assertThat(evaluate(allowChain, undeclared).allowed()).as("chainId not signed").isFalse();
    assertThat(evaluate(denyToken, undeclared).allowed()).as("valid for every contract, the token's too").isFalse();
    assertThat(evaluate(denyToken, permit("\"primary_type\":\"Permit\"").replace(TOKEN, SPENDER)).allowed()).isTrue();
  }

  @Test
  void calldataThatDoesNotDecodeAgainstTheAbiFailsClosed() {
    final String abi = "[{\"type\":\"function\",\"name\":\"transfer\",\"inputs\":[{\"name\":\"to\",\"type\":\"address\"},"
        + "{\"name\":\"amount\",\"type\":\"uint256\"}]}]";
    final Policy policy = policy("[" + ALLOW_ALL + "," + rule("no transfers to spender", "*", "DENY",
        condition("ethereum_calldata", "transfer.to", "eq", "\"" + SPENDER + "\"").replace("}", ",\"abi\":" + abi + "}")) + "]");
    final String truncated = "0xa9059cbb" + "0".repeat(24) + SPENDER.substring(2);
    final String approve = "0x095ea7b3" + "0".repeat(24) + SPENDER.substring(2) + "0".repeat(64);

    assertThat(evaluate(policy, signTx(truncated, "")).allowed()).isFalse();
    assertThat(evaluate(policy, signTx(approve, "")).allowed()).as("another function: its arguments are not transfer's").isTrue();
  }

  @Test
  void feesAreVisibleSoAValueZeroSignerCannotSpendThemUnbounded() {
    // 30,000,000 gas at 1,000,000 gwei: 30,000 ETH of maximum fees, value 0.
    final String huge = signTx("0x", ",\"gas_limit\":30000000,\"max_fee_per_gas\":\"1000000000000000\"");
    final String normal = signTx("0x", ",\"gas_limit\":21000,\"max_fee_per_gas\":\"30000000000\"");
    final Policy capped = policy("[" + rule("zero value, bounded fees", "eth_signTransaction", "ALLOW",
        condition("ethereum_transaction", "value", "eq", "\"0\""),
        condition("ethereum_transaction", "max_fee", "lte", "\"10000000000000000\"")) + "]");
    final Policy perGas = policy("[" + rule("fee cap", "eth_signTransaction", "ALLOW",
        condition("ethereum_transaction", "max_fee_per_gas", "lte", "\"100000000000\""),
        condition("ethereum_transaction", "gas_limit", "lte", "\"100000\"")) + "]");

    assertThat(evaluate(capped, huge).allowed()).isFalse();
    assertThat(evaluate(capped, normal).allowed()).isTrue();
    assertThat(evaluate(perGas, huge).allowed()).isFalse();
    assertThat(evaluate(perGas, normal).allowed()).isTrue();
    final Policy legacyPrice = policy("[" + rule("gas price", "eth_signTransaction", "ALLOW",
        condition("ethereum_transaction", "gas_price", "lte", "\"100000000000\"")) + "]");
    assertThat(evaluate(legacyPrice, normal).allowed()).as("a type 2 transaction has no gas_price").isFalse();
  }

  @Test
  void valuePlusMaxFeeIsAnAggregationMetric() {
    final Aggregation spend = Aggregation.parse(Json.parse("""
        {"name":"wei out","method":"eth_signTransaction",
         "metric":{"field_source":"ethereum_transaction","field":"value_plus_max_fee","function":"sum"},
         "window":{"type":"rolling","seconds":86400}}"""), "agg-fee", 1L, Optional.empty());
    final PolicyInput input = PolicyInput.of("eth_signTransaction", SigningRequest.parseRpc("eth_signTransaction",
        Json.parse(signTx("0x", ",\"gas_limit\":21000,\"max_fee_per_gas\":\"1000\"").replace("\"value\":0", "\"value\":5"))));
    assertThat(spend.contribution(input, Fixtures.CTX)).contains(BigInteger.valueOf(5 + 21_000L * 1000));
    final PolicyInput unfilled = PolicyInput.parse("eth_signTransaction", Json.parse(
        "{\"method\":\"eth_signTransaction\",\"caip2\":\"eip155:1\",\"params\":{\"transaction\":{\"to\":\"" + TOKEN + "\"}}}"));
    assertThat(spend.contribution(unfilled, Fixtures.CTX)).as("fees not filled: unknown, never 0").isEmpty();
  }

  @Test
  void aTransactionWithoutChainIdIsRefusedUnlessAllowedAndThenNoChainConditionMatches() {
    final String legacy = "{\"method\":\"eth_signTransaction\",\"params\":{\"transaction\":{\"type\":0,\"nonce\":0,"
        + "\"to\":\"" + TOKEN + "\",\"gas_limit\":21000,\"gas_price\":\"1\"}}}";
    assertThatThrownBy(() -> SigningRequest.parseRpc("eth_signTransaction", Json.parse(legacy)))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("params.transaction.chain_id is required");
    final String optedIn = legacy.replace("{\"method\"", "{\"allow_pre_eip155\":true,\"method\"");
    final PolicyInput input = PolicyInput.of("eth_signTransaction", SigningRequest.parseRpc("eth_signTransaction", Json.parse(optedIn)));
    final Policy onlyBase = policy("[" + rule("base", "eth_signTransaction", "ALLOW",
        condition("ethereum_transaction", "chain_id", "eq", "\"8453\"")) + "]");
    final Policy notMainnet = policy("[" + ALLOW_ALL + "," + rule("not mainnet", "*", "DENY",
        condition("ethereum_transaction", "chain_id", "eq", "\"1\"")) + "]");
    assertThat(PolicyEngine.evaluate(onlyBase, input, Fixtures.CTX).allowed()).isFalse();
    assertThat(PolicyEngine.evaluate(notMainnet, input, Fixtures.CTX).allowed()).isFalse();
  }

  @Test
  void authorizationsExposeChainIdAndNonce() {
    final String mainnet = "{\"method\":\"eth_sign7702Authorization\",\"params\":{\"contract\":\"" + TOKEN + "\",\"chain_id\":1,\"nonce\":7}}";
    final Policy onlyBase = policy("[" + rule("base", "eth_sign7702Authorization", "ALLOW",
        condition("ethereum_7702_authorization", "chain_id", "eq", "\"8453\"")) + "]");
    final Policy notMainnet = policy("[" + ALLOW_ALL + "," + rule("not mainnet", "*", "DENY",
        condition("ethereum_7702_authorization", "chain_id", "eq", "\"1\"")) + "]");
    final Policy lowNonce = policy("[" + rule("nonce", "eth_sign7702Authorization", "ALLOW",
        condition("ethereum_7702_authorization", "nonce", "lt", "\"5\"")) + "]");

    assertThat(evaluate(onlyBase, mainnet).allowed()).isFalse();
    assertThat(evaluate(onlyBase, mainnet.replace("\"chain_id\":1", "\"chain_id\":8453")).allowed()).isTrue();
    assertThat(evaluate(notMainnet, mainnet).allowed()).isFalse();
    assertThat(evaluate(notMainnet, mainnet.replace("\"chain_id\":1", "\"chain_id\":0")).allowed())
        .as("chain id 0 is valid on mainnet too").isFalse();
    assertThat(evaluate(onlyBase, mainnet.replace("\"chain_id\":1", "\"chain_id\":0")).allowed()).isFalse();
    assertThat(evaluate(lowNonce, mainnet).allowed()).isFalse();
    assertThat(evaluate(lowNonce, mainnet.replace("\"nonce\":7", "\"nonce\":4")).allowed()).isTrue();
  }

  @Test
  void substringOperatorsCompareTextExactlyAndHexCaseInsensitively() {
    final Policy startsWith = policy("[" + rule("selector", "eth_signTransaction", "ALLOW",
        condition("ethereum_transaction", "to", "starts_with", "\"0x833589FC\"")) + "]");
    final Policy endsWith = policy("[" + rule("suffix", "eth_signTransaction", "ALLOW",
        condition("ethereum_transaction", "to", "ends_with", "\"02913\"")) + "]");
    final Policy contains = policy("[" + rule("contains", "eth_signTypedData_v4", "ALLOW",
        condition("ethereum_typed_data_message", "contents", "contains", "\"Bob\"")
            .replace("}", ",\"typed_data\":{\"types\":" + Fixtures.MAIL_TYPES + ",\"primary_type\":\"Mail\"}}")) + "]");
    final Policy containsLower = policy("[" + rule("contains", "eth_signTypedData_v4", "ALLOW",
        condition("ethereum_typed_data_message", "contents", "contains", "\"bob\"")
            .replace("}", ",\"typed_data\":{\"types\":" + Fixtures.MAIL_TYPES + ",\"primary_type\":\"Mail\"}}")) + "]");

    assertThat(evaluate(startsWith, signTx("0x", "")).allowed()).isTrue();
    assertThat(evaluate(endsWith, signTx("0x", "")).allowed()).isTrue();
    assertThat(evaluate(startsWith, signTx("0x", "").replace(TOKEN, SPENDER)).allowed()).isFalse();
    assertThat(evaluate(contains, Fixtures.TYPED_DATA).allowed()).isTrue();
    assertThat(evaluate(containsLower, Fixtures.TYPED_DATA).allowed()).as("text is case-sensitive").isFalse();
    assertThatThrownBy(() -> policy("[" + rule("n", "*", "ALLOW", condition("ethereum_transaction", "value", "contains", "\"1\"")) + "]"))
        .hasMessageContaining("needs a string, address or bytes field");
  }

  /** An EIP-1559 transaction to the token with {@code data}; {@code extra} replaces the default gas fields. */
  private static String signTx(final String data, final String extra) {
    final String gas = extra.isEmpty() ? ",\"gas_limit\":21000,\"max_fee_per_gas\":\"30000000000\"" : extra;
    return "{\"method\":\"eth_signTransaction\",\"params\":{\"transaction\":{\"type\":2,\"chain_id\":1,\"nonce\":0,\"to\":\""
        + TOKEN + "\",\"value\":0,\"data\":\"" + data + "\"" + gas + ",\"max_priority_fee_per_gas\":\"1\"}}}";
  }
}
