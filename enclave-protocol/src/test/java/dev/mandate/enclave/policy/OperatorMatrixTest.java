package dev.mandate.enclave.policy;

import static dev.mandate.enclave.policy.Fixtures.AUTHORIZATION;
import static dev.mandate.enclave.policy.Fixtures.MAIL_TYPES;
import static dev.mandate.enclave.policy.Fixtures.PERSONAL_SIGN;
import static dev.mandate.enclave.policy.Fixtures.SEND_TX;
import static dev.mandate.enclave.policy.Fixtures.TYPED_DATA;
import static dev.mandate.enclave.policy.Fixtures.USDC;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every operator against every field source: one ALLOW rule for "*" holding one condition. */
class OperatorMatrixTest {
  private static final String ERC20_ABI = AbiDecoderTest.ERC20_ABI;
  private static final String MAIL = "{\"types\":" + MAIL_TYPES + ",\"primary_type\":\"Mail\"}";

  static Stream<Arguments> cases() {
    return Stream.of(
        // ethereum_transaction: to (address), value (0x2386F26FC10000 = 10^16), chain_id (8453)
        row("tx to eq, other case", tx("to", "eq", q(USDC.toLowerCase())), SEND_TX, true),
        row("tx to eq, other address", tx("to", "eq", q(Fixtures.OTHER)), SEND_TX, false),
        row("tx to in", tx("to", "in", "[" + q(Fixtures.OTHER) + "," + q(USDC.toUpperCase().replace("0X", "0x")) + "]"), SEND_TX, true),
        row("tx to in, absent", tx("to", "in", "[" + q(Fixtures.OTHER) + "]"), SEND_TX, false),
        row("tx value eq decimal vs hex", tx("value", "eq", q("10000000000000000")), SEND_TX, true),
        row("tx value gt", tx("value", "gt", q("0x2386F26FC0FFFF")), SEND_TX, true),
        row("tx value gt equal", tx("value", "gt", q("10000000000000000")), SEND_TX, false),
        row("tx value gte equal", tx("value", "gte", q("0x2386f26fc10000")), SEND_TX, true),
        row("tx value lt", tx("value", "lt", q("10000000000000001")), SEND_TX, true),
        row("tx value lt equal", tx("value", "lt", q("10000000000000000")), SEND_TX, false),
        row("tx value lte number", tx("value", "lte", "10000000000000000"), SEND_TX, true),
        row("tx chain_id eq hex", tx("chain_id", "eq", q("0x2105")), SEND_TX, true),
        row("tx chain_id in", tx("chain_id", "in", "[\"1\",\"8453\"]"), SEND_TX, true),
        row("tx to in_condition_set", tx("to", "in_condition_set", q("allowlist")), SEND_TX, true),
        row("tx to in missing set", tx("to", "in_condition_set", q("nope")), SEND_TX, false),
        // ethereum_calldata: transfer(USDC, 1_000_000)
        row("calldata function_name eq", calldata("function_name", "eq", q("transfer")), SEND_TX, true),
        row("calldata function_name eq other", calldata("function_name", "eq", q("approve")), SEND_TX, false),
        row("calldata function_name in", calldata("function_name", "in", "[\"approve\",\"transfer\"]"), SEND_TX, true),
        row("calldata amount eq hex", calldata("transfer.amount", "eq", q("0xf4240")), SEND_TX, true),
        row("calldata amount gt", calldata("transfer.amount", "gt", q("999999")), SEND_TX, true),
        row("calldata amount gte", calldata("transfer.amount", "gte", q("1000000")), SEND_TX, true),
        row("calldata amount lt equal", calldata("transfer.amount", "lt", q("1000000")), SEND_TX, false),
        row("calldata amount lte", calldata("transfer.amount", "lte", q("1000000")), SEND_TX, true),
        row("calldata to eq upper case", calldata("transfer.to", "eq", q(USDC.toUpperCase().replace("0X", "0x"))), SEND_TX, true),
        row("calldata other function's param", calldata("approve.amount", "lte", q("0xffffffff")), SEND_TX, false),
        row("calldata to in_condition_set", calldata("transfer.to", "in_condition_set", q("allowlist")), SEND_TX, true),
        // ethereum_typed_data_domain: chainId 1, verifyingContract 0xCcCC…
        row("domain chainId eq", domain("chainId", "eq", q("1")), TYPED_DATA, true),
        row("domain chain_id gt", domain("chain_id", "gt", q("0")), TYPED_DATA, true),
        row("domain chainId gte", domain("chainId", "gte", q("2")), TYPED_DATA, false),
        row("domain chainId lt", domain("chainId", "lt", q("1")), TYPED_DATA, false),
        row("domain chainId lte", domain("chainId", "lte", q("0x1")), TYPED_DATA, true),
        row("domain verifyingContract eq", domain("verifyingContract", "eq", q("0xcccccccccccccccccccccccccccccccccccccccc")), TYPED_DATA, true),
        row("domain verifying_contract in", domain("verifying_contract", "in", "[" + q(USDC) + "]"), TYPED_DATA, false),
        row("domain in_condition_set", domain("verifyingContract", "in_condition_set", q("allowlist")), TYPED_DATA, false),
        // ethereum_typed_data_message
        row("message to.wallet eq", message("to.wallet", "eq", q("0xbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")), TYPED_DATA, true),
        row("message contents eq is exact", message("contents", "eq", q("hello, bob!")), TYPED_DATA, false),
        row("message amount gt", message("amount", "gt", q("999")), TYPED_DATA, true),
        row("message amount gte", message("amount", "gte", q("0x3e9")), TYPED_DATA, false),
        row("message amount lt", message("amount", "lt", q("1001")), TYPED_DATA, true),
        row("message amount lte", message("amount", "lte", q("1000")), TYPED_DATA, true),
        row("message cc.1.wallet in", message("cc.1.wallet", "in", "[\"0x0000000000000000000000000000000000000002\"]"), TYPED_DATA, true),
        row("message cc[0].wallet eq", message("cc[0].wallet", "eq", q("0x0000000000000000000000000000000000000002")), TYPED_DATA, false),
        row("message cc.5.wallet absent", message("cc.5.wallet", "eq", q("0x0000000000000000000000000000000000000002")), TYPED_DATA, false),
        row("message in_condition_set", message("from.wallet", "in_condition_set", q("allowlist")), TYPED_DATA, false),
        // ethereum_7702_authorization
        row("7702 contract eq", auth("eq", q("0x69007702764179f14f51cdce752f4f775d74e139")), AUTHORIZATION, true),
        row("7702 contract in", auth("in", "[" + q(USDC) + "]"), AUTHORIZATION, false),
        row("7702 contract in_condition_set", auth("in_condition_set", q("allowlist")), AUTHORIZATION, false),
        // system: now = NOW + 0.999 s, read as whole seconds
        row("system eq", system("eq", q(Long.toString(Fixtures.NOW))), PERSONAL_SIGN, true),
        row("system gt", system("gt", q(Long.toString(Fixtures.NOW))), PERSONAL_SIGN, false),
        row("system gte", system("gte", q(Long.toString(Fixtures.NOW))), PERSONAL_SIGN, true),
        row("system lt", system("lt", q(Long.toString(Fixtures.NOW + 1))), PERSONAL_SIGN, true),
        row("system lte", system("lte", q(Long.toString(Fixtures.NOW - 1))), PERSONAL_SIGN, false),
        row("system in", system("in", "[\"1\",\"" + Fixtures.NOW + "\"]"), PERSONAL_SIGN, true),
        // reference: aggregation "spent" = 5000
        row("reference eq hex", reference("spent", "eq", q("0x1388")), SEND_TX, true),
        row("reference gt", reference("spent", "gt", q("4999")), SEND_TX, true),
        row("reference gte", reference("spent", "gte", q("5001")), SEND_TX, false),
        row("reference lt", reference("spent", "lt", q("5000")), SEND_TX, false),
        row("reference lte", reference("spent", "lte", q("5000")), SEND_TX, true),
        row("reference in", reference("spent", "in", "[\"5000\"]"), SEND_TX, true),
        row("reference unknown aggregation", reference("other", "lte", q("999999")), SEND_TX, false),
        // sources the method does not carry
        row("tx source on personal_sign", tx("value", "gte", q("0")), PERSONAL_SIGN, false),
        row("typed data source on a transaction", domain("chainId", "gte", q("0")), SEND_TX, false),
        row("7702 source on typed data", auth("eq", q(USDC)), TYPED_DATA, false));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void evaluatesOneCondition(final String name, final String condition, final String body, final boolean allowed) {
    final Policy policy = Fixtures.policy("[" + Fixtures.rule("r", "*", "ALLOW", condition) + "]");

    assertThat(Fixtures.evaluate(policy, body).allowed()).isEqualTo(allowed);
  }

  private static Arguments row(final String name, final String condition, final String body, final boolean allowed) {
    return Arguments.of(name, condition, body, allowed);
  }

  private static String q(final String text) {
    return "\"" + text + "\"";
  }

  private static String tx(final String field, final String op, final String value) {
    return Fixtures.condition("ethereum_transaction", field, op, value);
  }

  private static String calldata(final String field, final String op, final String value) {
    final String c = Fixtures.condition("ethereum_calldata", field, op, value);
    return c.substring(0, c.length() - 1) + ",\"abi\":" + ERC20_ABI + "}";
  }

  private static String domain(final String field, final String op, final String value) {
    return Fixtures.condition("ethereum_typed_data_domain", field, op, value);
  }

  private static String message(final String field, final String op, final String value) {
    final String c = Fixtures.condition("ethereum_typed_data_message", field, op, value);
    return c.substring(0, c.length() - 1) + ",\"typed_data\":" + MAIL + "}";
  }

  private static String auth(final String op, final String value) {
    return Fixtures.condition("ethereum_7702_authorization", "contract", op, value);
  }

  private static String system(final String op, final String value) {
    return Fixtures.condition("system", "current_unix_timestamp", op, value);
  }

  private static String reference(final String aggregation, final String op, final String value) {
    return Fixtures.condition("reference", "aggregation." + aggregation, op, value);
  }
}
