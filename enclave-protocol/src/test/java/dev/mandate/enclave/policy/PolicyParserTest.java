package dev.mandate.enclave.policy;

import static dev.mandate.enclave.policy.Fixtures.condition;
import static dev.mandate.enclave.policy.Fixtures.policy;
import static dev.mandate.enclave.policy.Fixtures.rule;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mandate.enclave.InvalidRequestException;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class PolicyParserTest {
  private static final String PRIVY_EXAMPLE = """
      {"version":"1.0","name":"Native token transfer maximums","chain_type":"ethereum",
       "rules":[{"name":"Restrict ETH transfers to a maximum value","method":"eth_sendTransaction",
                 "conditions":[{"field_source":"ethereum_transaction","field":"value","operator":"lte","value":"0x2386F26FC10000"}],
                 "action":"ALLOW"}],
       "owner":{"public_key":"MFkw"}}""";

  @Test
  void parsesPrivysExamplePolicyAndMintsRuleIds() {
    final Policy policy = PolicyParser.parsePolicy(Json.parse(PRIVY_EXAMPLE), "tb54eps4z44ed0jepousxi4n", 1_741_833_088_894L,
        Optional.of("quorum-1"), Fixtures.ids());

    assertThat(policy.name()).isEqualTo("Native token transfer maximums");
    assertThat(policy.rules()).extracting(Rule::id).containsExactly("rule-1");
    assertThat(policy.rules().get(0).conditions().get(0))
        .isEqualTo(new Condition(FieldSource.ETHEREUM_TRANSACTION, "value", Operator.LTE, List.of("0x2386F26FC10000"),
            Optional.empty(), Optional.empty()));
  }

  @Test
  void writesPrivysPolicyObject() {
    final Policy policy = PolicyParser.parsePolicy(Json.parse(PRIVY_EXAMPLE), "tb54eps4z44ed0jepousxi4n", 1_741_833_088_894L,
        Optional.empty(), Fixtures.ids());

    assertThat(policy.toApiJson()).isEqualTo(Json.parse("""
        {"id":"tb54eps4z44ed0jepousxi4n","name":"Native token transfer maximums","chain_type":"ethereum","version":"1.0",
         "owner_id":null,"created_at":1741833088894,
         "rules":[{"id":"rule-1","name":"Restrict ETH transfers to a maximum value","method":"eth_sendTransaction",
                   "conditions":[{"field_source":"ethereum_transaction","field":"value","operator":"lte","value":"0x2386F26FC10000"}],
                   "action":"ALLOW"}]}"""));
  }

  @Test
  void roundTripsThroughItsStoredForm() {
    final Policy policy = policy("[" + rule("calldata", "eth_signTransaction", "DENY",
        condition("ethereum_calldata", "approve.spender", "in", "[\"" + Fixtures.USDC + "\"]")
            .replace("}", ",\"abi\":" + AbiDecoderTest.ERC20_ABI + "}"),
        condition("ethereum_typed_data_message", "to.wallet", "eq", "\"" + Fixtures.OTHER + "\"")
            .replace("}", ",\"typed_data\":{\"types\":" + Fixtures.MAIL_TYPES + ",\"primary_type\":\"Mail\"}}")) + "]")
        .withOwnerId(Optional.of("quorum-1"));

    final Policy read = Policy.fromDoc(Json.parse(policy.toDoc().toString()));

    assertThat(read).isEqualTo(policy);
    assertThat(read.toApiJson()).isEqualTo(policy.toApiJson());
  }

  @Test
  void acceptsJsonNumbersAsDecimalStrings() {
    final Policy policy = policy("[" + rule("r", "*", "ALLOW",
        condition("ethereum_transaction", "value", "lte", "1000000000000000000"),
        condition("ethereum_transaction", "chain_id", "in", "[1, \"8453\"]")) + "]");

    assertThat(policy.rules().get(0).conditions()).extracting(Condition::values)
        .containsExactly(List.of("1000000000000000000"), List.of("1", "8453"));
    assertThat(policy.toApiJson().at("/rules/0/conditions/0/value").asText()).isEqualTo("1000000000000000000");
  }

  @Test
  void refusesRuleNamesOver50CharactersNamingTheField() {
    final String tooLong = "n".repeat(51);

    assertThat(policy("[" + rule("n".repeat(50), "*", "ALLOW") + "]").rules()).hasSize(1);
    assertInvalid("[" + rule("ok", "*", "ALLOW") + "," + rule(tooLong, "*", "ALLOW") + "]")
        .hasMessage("Validation error: Rule name must be fewer than 50 characters at \"rules[1].name\"");
    assertInvalid("[" + rule("", "*", "ALLOW") + "]")
        .hasMessage("Validation error: Rule name must be at least 1 character at \"rules[0].name\"");
  }

  @Test
  void refusesABadPolicyHeader() {
    assertThatThrownBy(() -> parse(PRIVY_EXAMPLE.replace("Native token transfer maximums", "p".repeat(51))))
        .hasMessage("Validation error: Policy name must be fewer than 50 characters at \"name\"");
    assertThatThrownBy(() -> parse(PRIVY_EXAMPLE.replace("\"1.0\"", "\"2.0\"")))
        .hasMessage("Validation error: Invalid literal value, expected \"1.0\" at \"version\"");
    assertThatThrownBy(() -> parse(PRIVY_EXAMPLE.replace("\"ethereum\"", "\"bitcoin\"")))
        .hasMessageContaining("at \"chain_type\"");
    // A Solana policy is valid, but not with Ethereum rules.
    assertThatThrownBy(() -> parse(PRIVY_EXAMPLE.replace("\"ethereum\"", "\"solana\"")))
        .hasMessageContaining("is not a solana method at \"rules[0].method\"");
    assertThatThrownBy(() -> parse("{\"version\":\"1.0\",\"name\":\"p\",\"chain_type\":\"ethereum\"}"))
        .hasMessage("Validation error: Required at \"rules\"");
    assertThatThrownBy(() -> parse("[]")).hasMessage("Validation error: Expected object, received array");
    assertThatThrownBy(() -> parse(PRIVY_EXAMPLE.replace("\"owner\"", "\"ownr\"")))
        .hasMessage("Validation error: Unrecognized key(s) in object: 'ownr'");
  }

  @Test
  void refusesBadRules() {
    assertInvalid("[" + rule("r", "eth_signSomething", "ALLOW") + "]")
        .hasMessageStartingWith("Validation error: Invalid enum value. Expected ")
        .hasMessageEndingWith("received 'eth_signSomething' at \"rules[0].method\"");
    assertInvalid("[" + rule("r", "*", "allow") + "]").hasMessageEndingWith("at \"rules[0].action\"");
    assertInvalid("[{\"name\":\"r\",\"method\":\"*\",\"action\":\"ALLOW\"}]")
        .hasMessage("Validation error: Required at \"rules[0].conditions\"");
    assertInvalid("[" + rule("r", "*", "ALLOW").replace("\"name\"", "\"nmae\"") + "]")
        .hasMessage("Validation error: Unrecognized key(s) in object: 'nmae' at \"rules[0]\"");
  }

  @Test
  void acceptsEveryDocumentedMethod() {
    for (final String method : List.of("*", "personal_sign", "eth_signTransaction", "eth_sendTransaction",
        "eth_signTypedData_v4", "eth_sign7702Authorization", "secp256k1_sign", "raw_sign", "signRawMessageBytes",
        "eth_signUserOperation", "wallet_sendCalls", "exportPrivateKey")) {
      assertThat(policy("[" + rule("r", method, "ALLOW") + "]").rules().get(0).method()).isEqualTo(method);
    }
  }

  @Test
  void limitsInToOneHundredValues() {
    final String hundred = IntStream.range(0, 100).mapToObj(i -> "\"" + i + "\"").collect(Collectors.joining(","));

    assertThat(policy("[" + rule("r", "*", "ALLOW", condition("ethereum_transaction", "chain_id", "in", "[" + hundred + "]"))
        + "]").rules().get(0).conditions().get(0).values()).hasSize(100);
    assertInvalid("[" + rule("r", "*", "ALLOW", condition("ethereum_transaction", "chain_id", "in", "[" + hundred + ",\"100\"]"))
        + "]").hasMessage("Validation error: Array must contain at most 100 element(s) (use in_condition_set for more)"
            + " at \"rules[0].conditions[0].value\"");
  }

  @Test
  void limitsRulesAndConditions() {
    final String hundredRules = IntStream.range(0, 100).mapToObj(i -> rule("r" + i, "*", "ALLOW"))
        .collect(Collectors.joining(","));
    final String fiftyConditions = IntStream.range(0, 50)
        .mapToObj(i -> condition("system", "current_unix_timestamp", "gte", "\"" + i + "\""))
        .collect(Collectors.joining(","));

    assertThat(policy("[" + hundredRules + "]").rules()).hasSize(100);
    assertInvalid("[" + hundredRules + "," + rule("one more", "*", "ALLOW") + "]")
        .hasMessage("Validation error: Array must contain at most 100 element(s) at \"rules\"");
    assertThat(policy("[" + rule("r", "*", "ALLOW", fiftyConditions) + "]").rules().get(0).conditions()).hasSize(50);
    assertInvalid("[" + rule("r", "*", "ALLOW", fiftyConditions + "," + condition("system", "current_unix_timestamp", "gte",
        "\"1\"")) + "]").hasMessage("Validation error: Array must contain at most 50 element(s) at \"rules[0].conditions\"");
    assertThatThrownBy(() -> policy("[" + hundredRules + "]").withRule(policy("[" + rule("x", "*", "ALLOW") + "]").rules().get(0)))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void checksValuesAgainstTheFieldsKind() {
    assertInvalidCondition(condition("ethereum_transaction", "value", "lte", "\"1.5\""))
        .hasMessage("Validation error: Expected an integer (decimal, or hex starting with 0x) at \"rules[0].conditions[0].value\"");
    assertInvalidCondition(condition("ethereum_transaction", "value", "lte", "1.5"))
        .hasMessageEndingWith("at \"rules[0].conditions[0].value\"");
    assertInvalidCondition(condition("ethereum_transaction", "to", "in", "[\"" + Fixtures.USDC + "\",\"vitalik.eth\"]"))
        .hasMessage("Validation error: Expected an address (0x followed by 40 hex digits) at \"rules[0].conditions[0].value[1]\"");
    assertInvalidCondition(condition("ethereum_transaction", "to", "gt", "\"" + Fixtures.USDC + "\""))
        .hasMessage("Validation error: Operator gt needs a numeric field at \"rules[0].conditions[0].operator\"");
    assertInvalidCondition(condition("ethereum_transaction", "to", "eq", "[\"" + Fixtures.USDC + "\"]"))
        .hasMessage("Validation error: Expected string, received array at \"rules[0].conditions[0].value\"");
    assertInvalidCondition(condition("ethereum_transaction", "to", "in", "\"" + Fixtures.USDC + "\""))
        .hasMessage("Validation error: Expected array, received string at \"rules[0].conditions[0].value\"");
    assertInvalidCondition(condition("ethereum_transaction", "to", "eq", "\"x\"").replace(",\"value\":\"x\"", ""))
        .hasMessage("Validation error: Required at \"rules[0].conditions[0].value\"");
  }

  @Test
  void refusesUnknownSourcesFieldsAndOperators() {
    assertInvalidCondition(condition("solana_program_instruction", "programId", "eq", "\"x\""))
        .hasMessageEndingWith("at \"rules[0].conditions[0].field_source\"");
    assertInvalidCondition(condition("ethereum_transaction", "gas", "eq", "\"1\""))
        .hasMessage("Validation error: Unsupported field 'gas' for field_source ethereum_transaction; expected to, value, chain_id, nonce, gas_limit, gas_price, max_fee_per_gas, max_priority_fee_per_gas, max_fee or"
            + " value_plus_max_fee at \"rules[0].conditions[0].field\"");
    assertInvalidCondition(condition("ethereum_transaction", "value", "neq", "\"1\""))
        .hasMessageEndingWith("at \"rules[0].conditions[0].operator\"");
    assertInvalidCondition(condition("system", "now", "gt", "\"1\"")).hasMessageEndingWith("at \"rules[0].conditions[0].field\"");
    assertInvalidCondition(condition("reference", "aggregation.", "lte", "\"1\""))
        .hasMessageEndingWith("at \"rules[0].conditions[0].field\"");
    assertInvalidCondition(condition("ethereum_7702_authorization", "executor", "eq", "\"1\""))
        .hasMessageEndingWith("at \"rules[0].conditions[0].field\"");
  }

  @Test
  void requiresAnAbiNamingTheFunctionForCalldata() {
    final String withAbi = ",\"abi\":" + AbiDecoderTest.ERC20_ABI + "}";

    assertInvalidCondition(condition("ethereum_calldata", "transfer.amount", "lte", "\"1\""))
        .hasMessage("Validation error: Required at \"rules[0].conditions[0].abi\"");
    assertInvalidCondition(condition("ethereum_calldata", "mint.amount", "lte", "\"1\"").replace("}", withAbi))
        .hasMessage("Validation error: Function 'mint' is not in abi at \"rules[0].conditions[0].field\"");
    assertInvalidCondition(condition("ethereum_calldata", "transfer.value", "lte", "\"1\"").replace("}", withAbi))
        .hasMessageEndingWith("at \"rules[0].conditions[0].field\"");
    assertInvalidCondition(condition("ethereum_calldata", "function_name", "eq", "\"x\"").replace("}", ",\"abi\":{}}"))
        .hasMessage("Validation error: ABI must be a JSON array of ABI items at \"rules[0].conditions[0].abi\"");
    assertInvalidCondition(condition("ethereum_transaction", "value", "lte", "\"1\"").replace("}", withAbi))
        .hasMessageEndingWith("at \"rules[0].conditions[0].abi\"");
  }

  @Test
  void requiresTypedDataResolvingTheMessagePath() {
    final String typedData = ",\"typed_data\":{\"types\":" + Fixtures.MAIL_TYPES + ",\"primary_type\":\"Mail\"}}";

    assertInvalidCondition(condition("ethereum_typed_data_message", "to.wallet", "eq", "\"" + Fixtures.USDC + "\""))
        .hasMessage("Validation error: Required at \"rules[0].conditions[0].typed_data\"");
    assertInvalidCondition(condition("ethereum_typed_data_message", "to.email", "eq", "\"x\"").replace("}", typedData))
        .hasMessageEndingWith("at \"rules[0].conditions[0].field\"");
    assertInvalidCondition(condition("ethereum_typed_data_message", "to", "eq", "\"x\"").replace("}", typedData))
        .as("a struct is not comparable").hasMessageEndingWith("at \"rules[0].conditions[0].field\"");
    assertInvalidCondition(condition("ethereum_typed_data_message", "amount", "lte", "\"many\"").replace("}", typedData))
        .hasMessageEndingWith("at \"rules[0].conditions[0].value\"");
    assertInvalidCondition(condition("ethereum_typed_data_message", "amount", "lte", "\"1\"")
        .replace("}", ",\"typed_data\":{\"types\":" + Fixtures.MAIL_TYPES + ",\"primary_type\":\"Letter\"}}"))
        .hasMessageEndingWith("at \"rules[0].conditions[0].typed_data\"");
  }

  @Test
  void parsesARuleOnItsOwnWithPathsFromTheRule() {
    final Rule rule = PolicyParser.parseRule(Json.parse(rule("r", "personal_sign", "ALLOW")), "rule-9");

    assertThat(rule).isEqualTo(new Rule("rule-9", "r", "personal_sign", List.of(), Action.ALLOW));
    assertThatThrownBy(() -> PolicyParser.parseRule(Json.parse(rule("n".repeat(51), "*", "ALLOW")), "x"))
        .hasMessage("Validation error: Rule name must be fewer than 50 characters at \"name\"");
    assertThatThrownBy(() -> PolicyParser.parseRule(Json.parse(rule("r", "*", "ALLOW",
        condition("ethereum_transaction", "value", "lte", "\"x\""))), "x"))
        .hasMessageEndingWith("at \"conditions[0].value\"");
  }

  @Test
  void patchesARuleKeepingItsIdAndUnsentMembers() {
    final Rule existing = PolicyParser.parseRule(Json.parse(rule("r", "personal_sign", "ALLOW",
        condition("system", "current_unix_timestamp", "gte", "\"1\""))), "rule-9");

    final Rule patched = PolicyParser.parseRulePatch(Json.parse("{\"action\":\"DENY\",\"conditions\":[]}"), existing);

    assertThat(patched).isEqualTo(new Rule("rule-9", "r", "personal_sign", List.of(), Action.DENY));
    assertThatThrownBy(() -> PolicyParser.parseRulePatch(Json.parse("{\"method\":\"nope\"}"), existing))
        .hasMessageEndingWith("at \"method\"");
  }

  @Test
  void patchesAPolicyNameAndReplacesItsRules() {
    final Policy policy = policy("[" + rule("a", "*", "ALLOW") + "," + rule("b", "*", "DENY") + "]");

    final Policy renamed = policy.apply(PolicyParser.parsePolicyPatch(Json.parse("{\"name\":\"new\"}"), Fixtures.ids()));
    final Policy replaced = policy.apply(PolicyParser.parsePolicyPatch(
        Json.parse("{\"rules\":[" + rule("c", "*", "ALLOW") + "]}"), () -> "fresh"));

    assertThat(renamed.name()).isEqualTo("new");
    assertThat(renamed.rules()).isEqualTo(policy.rules());
    assertThat(replaced.rules()).extracting(Rule::id, Rule::name)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("fresh", "c"));
    assertThat(replaced.name()).isEqualTo("test");
  }

  @Test
  void editsRulesById() {
    final Policy policy = policy("[" + rule("a", "*", "ALLOW") + "," + rule("b", "*", "DENY") + "]");
    final Rule added = new Rule("rule-3", "c", "personal_sign", List.of(), Action.ALLOW);

    assertThat(policy.withRule(added).rules()).extracting(Rule::id).containsExactly("rule-1", "rule-2", "rule-3");
    assertThat(policy.withoutRule("rule-1").rules()).extracting(Rule::id).containsExactly("rule-2");
    assertThat(policy.withRuleReplaced(added.withId("rule-2")).rule("rule-2").map(Rule::name)).contains("c");
    assertThat(policy.rule("nope")).isEmpty();
  }

  @Test
  void reportsInvalidPolicyFormatCode() {
    assertThatThrownBy(() -> parse("{}"))
        .isInstanceOfSatisfying(InvalidRequestException.class, e -> assertThat(e.code()).isEqualTo("invalid_policy_format"));
  }

  private static Policy parse(final String body) {
    return PolicyParser.parsePolicy(Json.parse(body), "p", 0, Optional.empty(), Fixtures.ids());
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertInvalid(final String rules) {
    return assertThatThrownBy(() -> policy(rules)).isInstanceOf(InvalidRequestException.class);
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> assertInvalidCondition(final String condition) {
    return assertInvalid("[" + rule("r", "*", "ALLOW", condition) + "]");
  }
}
