package dev.mandate.enclave.solana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mandate.enclave.InvalidRequestException;
import dev.mandate.enclave.policy.Decision;
import dev.mandate.enclave.policy.EvaluationContext;
import dev.mandate.enclave.policy.Policy;
import dev.mandate.enclave.policy.PolicyParser;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Privy's Solana policy semantics: per instruction, every instruction allowed, DENY wins, lookups refused. */
class SolanaPolicyEngineTest {
  private static final String WALLET = SolanaTransactionTest.WALLET;
  private static final String TO = SolanaTransactionTest.TO;
  private static final EvaluationContext NOW = EvaluationContext.at(Instant.parse("2026-12-04T00:00:00Z"));

  static Policy policy(final String rules) {
    final AtomicInteger ids = new AtomicInteger();
    try {
      return PolicyParser.parsePolicy(new ObjectMapper().readTree("{\"version\":\"1.0\",\"name\":\"p\",\"chain_type\":\"solana\","
          + "\"rules\":[" + rules + "]}"), "policy-1", 0, Optional.empty(), () -> "rule-" + ids.incrementAndGet());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static String rule(final String name, final String method, final String action, final String... conditions) {
    return "{\"name\":\"" + name + "\",\"method\":\"" + method + "\",\"action\":\"" + action + "\",\"conditions\":["
        + String.join(",", conditions) + "]}";
  }

  static String cond(final String source, final String field, final String op, final String value) {
    return "{\"field_source\":\"" + source + "\",\"field\":\"" + field + "\",\"operator\":\"" + op + "\",\"value\":" + value + "}";
  }

  private static final String CAP = rule("SOL cap to one recipient", "signTransaction", "ALLOW",
      cond("solana_system_program_instruction", "Transfer.lamports", "lte", "\"3000000\""),
      cond("solana_system_program_instruction", "Transfer.to", "in", "[\"" + TO + "\"]"));
  private static final String COMPUTE_BUDGET = rule("compute budget", "signTransaction", "ALLOW",
      cond("solana_program_instruction", "programId", "eq", "\"ComputeBudget111111111111111111111111111111\""));

  private static Decision decide(final Policy policy, final String fixture) {
    return SolanaPolicyEngine.evaluate(policy, "signTransaction", Optional.of(SolanaTransactionTest.tx(fixture).message()), NOW);
  }

  @Test
  void aTransferUnderTheCapToTheRecipientIsAllowed() {
    final Decision d = decide(policy(CAP), "legacy_transfer");
    assertThat(d.allowed()).as(d.reason()).isTrue();
    assertThat(d.ruleName()).contains("SOL cap to one recipient");
  }

  @Test
  void everyInstructionMustBeAllowedSoAComputeBudgetInstructionNeedsItsOwnRule() {
    final Decision capOnly = decide(policy(CAP), "v0_transfer");
    assertThat(capOnly.allowed()).isFalse();
    assertThat(capOnly.reason()).contains("instruction 0").contains("ComputeBudget").contains("no rule matched");
    assertThat(decide(policy(CAP + "," + COMPUTE_BUDGET), "v0_transfer").allowed()).isTrue();
  }

  @Test
  void overTheCapIsDenied() {
    final Decision d = decide(policy(CAP), "v0_transfer_to_lookup");
    assertThat(d.allowed()).isFalse();
  }

  @Test
  void aConditionOnAnAccountHiddenInALookupTableRefusesEvenADenyRuleCannotBeDodged() {
    final String denyTo = rule("never to TO", "signTransaction", "DENY",
        cond("solana_system_program_instruction", "Transfer.to", "eq", "\"" + TO + "\""));
    final String allowAll = rule("anything", "signTransaction", "ALLOW");
    final Decision d = decide(policy(denyTo + "," + allowAll), "v0_transfer_to_lookup");
    assertThat(d.allowed()).isFalse();
    assertThat(d.reason()).contains("address lookup table").contains("never to TO");
    // Conditions that need no looked-up address work on lookup transactions.
    final String amountOnly = rule("amount", "signTransaction", "ALLOW",
        cond("solana_system_program_instruction", "Transfer.lamports", "lte", "\"5000000\""));
    assertThat(decide(policy(amountOnly), "v0_transfer_to_lookup").allowed()).isTrue();
  }

  @Test
  void denyWinsAndAConditionForAnotherProgramDoesNotHold() {
    final String allowAll = rule("anything", "*", "ALLOW");
    final String denyToken = rule("no token transfers", "*", "DENY",
        cond("solana_token_program_instruction", "instructionName", "in", "[\"TransferChecked\",\"Transfer\"]"));
    assertThat(decide(policy(allowAll + "," + denyToken), "v0_token_transfer_checked").allowed()).isFalse();
    assertThat(decide(policy(allowAll + "," + denyToken), "legacy_transfer").allowed()).isTrue();
    final String tokenCap = rule("USDC cap", "signTransaction", "ALLOW",
        cond("solana_token_program_instruction", "TransferChecked.amount", "lte", "\"5000000\""),
        cond("solana_token_program_instruction", "TransferChecked.mint", "eq",
            "\"" + SolanaTransactionTest.KIT.path("addresses").path("mint").asText() + "\""));
    assertThat(decide(policy(tokenCap), "v0_token_transfer_checked").allowed()).isTrue();
    assertThat(decide(policy(tokenCap), "legacy_transfer").allowed()).isFalse();
  }

  @Test
  void thePolicySeesWhoPaysAndRulesOfOtherMethodsDoNotCount() {
    final String appPays = rule("app pays", "signTransaction", "ALLOW",
        cond("solana_transaction", "feePayer", "eq", "\"" + SolanaTransactionTest.APP + "\""));
    assertThat(decide(policy(appPays), "legacy_app_pays").allowed()).isTrue();
    assertThat(decide(policy(appPays), "legacy_transfer").allowed()).isFalse();
    final String messagesOnly = rule("messages", "signMessage", "ALLOW");
    assertThat(decide(policy(messagesOnly), "legacy_transfer").allowed()).isFalse();
    assertThat(SolanaPolicyEngine.evaluate(policy(messagesOnly), "signMessage", Optional.empty(), NOW).allowed()).isTrue();
  }

  @Test
  void createIsAnAliasOfCreateAccount() {
    final String names = rule("names", "signTransaction", "ALLOW",
        cond("solana_system_program_instruction", "instructionName", "in", "[\"Create\",\"Transfer\"]"));
    assertThat(decide(policy(names), "legacy_transfer").allowed()).isTrue();
  }

  @Test
  void aSolanaPolicyNamesOnlySolanaMethodsAndSourcesAndTheReverse() {
    assertThatThrownBy(() -> policy(rule("x", "eth_signTransaction", "ALLOW")))
        .isInstanceOf(InvalidRequestException.class).hasMessageContaining("not a solana method");
    assertThatThrownBy(() -> policy(rule("x", "signTransaction", "ALLOW",
        cond("ethereum_transaction", "value", "lte", "\"1\""))))
        .hasMessageContaining("cannot be used in a solana policy");
    assertThatThrownBy(() -> policy(rule("x", "signTransaction", "ALLOW",
        cond("solana_system_program_instruction", "Transfer.amount", "lte", "\"1\""))))
        .hasMessageContaining("Unsupported field");
    assertThatThrownBy(() -> policy(rule("x", "signTransaction", "ALLOW",
        cond("solana_token_program_instruction", "Transfer.lamports", "lte", "\"1\""))))
        .hasMessageContaining("Unsupported field");
    assertThatThrownBy(() -> policy(rule("x", "signTransaction", "DENY",
        cond("solana_system_program_instruction", "Transfer.to", "eq", "\"0x1111111111111111111111111111111111111111\""))))
        .hasMessageContaining("Expected a Solana address");
  }

  @Test
  void anEthereumPolicyNeverDecidesForASolanaRequest() {
    final Policy eth = new Policy("e", "e", Policy.CHAIN_TYPE, Policy.VERSION, Optional.empty(), java.util.List.of(), 0);
    assertThat(SolanaPolicyEngine.evaluate(eth, "signMessage", Optional.empty(), NOW).allowed()).isFalse();
  }
}
