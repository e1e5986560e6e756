package dev.mandate.enclave.solana;

import dev.mandate.enclave.policy.Action;
import dev.mandate.enclave.policy.Condition;
import dev.mandate.enclave.policy.Decision;
import dev.mandate.enclave.policy.EvaluationContext;
import dev.mandate.enclave.policy.FieldSource;
import dev.mandate.enclave.policy.FieldValue;
import dev.mandate.enclave.policy.Operator;
import dev.mandate.enclave.policy.Policy;
import dev.mandate.enclave.policy.Rule;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * Evaluates a Solana policy with Privy's semantics (privy-solana.md §4): every top-level instruction
 * of the message that is signed is evaluated against the rules on its own, and every instruction must
 * be allowed. For one instruction, a matching DENY rule denies, else a matching ALLOW rule allows,
 * else it is denied. A condition whose source does not describe the instruction does not hold.
 *
 * <p>What the enclave cannot see it refuses: when a condition needs an account that the message
 * loads from an address lookup table (which the enclave never fetches), the transaction is denied,
 * naming the rule and the table, whatever the rule's action.
 *
 * <p>A message to sign, or a transaction without instructions, is evaluated once with no
 * instruction: only conditions that do not read an instruction can hold.
 */
public final class SolanaPolicyEngine {
  private SolanaPolicyEngine() {}

  /** Thrown inside evaluation when a condition needs an account hidden in a lookup table. */
  private static final class HiddenAccount extends RuntimeException {
    private static final long serialVersionUID = 1L;

    HiddenAccount(final String message) {
      super(message, null, false, false);
    }
  }

  /**
   * @param message the parsed message that will be signed; empty for {@code signMessage} and
   *     methods without a transaction
   */
  public static Decision evaluate(final Policy policy, final String method, final Optional<SolanaMessage> message,
      final EvaluationContext ctx) {
    if (!Policy.SOLANA.equals(policy.chainType())) {
      return Decision.denied("policy " + policy.id() + " is for " + policy.chainType() + " wallets, not solana");
    }
    try {
      final List<Rule> rules = policy.rules().stream().filter(r -> r.appliesTo(method)).toList();
      if (message.isEmpty() || message.get().instructions().isEmpty()) {
        return decide(rules, message, Optional.empty(), ctx, "the request");
      }
      Decision last = Decision.noRuleMatched();
      final List<Instruction> instructions = message.get().instructions();
      for (int i = 0; i < instructions.size(); i++) {
        final String program = message.get().staticKeys().get(instructions.get(i).programIdIndex());
        last = decide(rules, message, Optional.of(instructions.get(i)), ctx, "instruction " + i + " (program " + program + ")");
        if (!last.allowed()) {
          return last;
        }
      }
      return new Decision(true, last.ruleId(), last.ruleName(), last.ruleAction(),
          "every instruction (" + instructions.size() + ") was allowed; the last by " + last.reason());
    } catch (HiddenAccount e) {
      return Decision.denied(e.getMessage());
    } catch (RuntimeException e) {
      // A bug here must not turn into a signature: fail closed.
      return Decision.denied("policy evaluation failed");
    }
  }

  private static Decision decide(final List<Rule> rules, final Optional<SolanaMessage> message,
      final Optional<Instruction> instruction, final EvaluationContext ctx, final String what) {
    Optional<Rule> allow = Optional.empty();
    for (final Rule rule : rules) {
      if (rule.conditions().stream().allMatch(c -> holds(c, rule, message, instruction, ctx))) {
        if (rule.action() == Action.DENY) {
          return reason(Decision.byRule(rule), what + ": " + Decision.byRule(rule).reason());
        }
        allow = allow.or(() -> Optional.of(rule));
      }
    }
    return allow.map(r -> reason(Decision.byRule(r), what + ": " + Decision.byRule(r).reason()))
        .orElseGet(() -> Decision.denied(what + ": " + Decision.NO_RULE_MATCHED));
  }

  private static Decision reason(final Decision d, final String reason) {
    return new Decision(d.allowed(), d.ruleId(), d.ruleName(), d.ruleAction(), reason);
  }

  private static boolean holds(final Condition condition, final Rule rule, final Optional<SolanaMessage> message,
      final Optional<Instruction> instruction, final EvaluationContext ctx) {
    final Optional<FieldValue> value = read(condition, rule, message, instruction, ctx);
    if (value.isEmpty()) {
      return false;
    }
    final Optional<List<String>> against = condition.operator() == Operator.IN_CONDITION_SET
        ? ctx.conditionSetValues(condition.values().get(0))
        : Optional.of(condition.values());
    return against.map(v -> value.get().satisfies(condition.operator(), aliases(condition, v))).orElse(false);
  }

  /** The docs' System Program example names {@code Create}; it is {@code CreateAccount}. */
  private static List<String> aliases(final Condition condition, final List<String> values) {
    if (condition.fieldSource() != FieldSource.SOLANA_SYSTEM_PROGRAM_INSTRUCTION || !condition.field().equals("instructionName")) {
      return values;
    }
    return values.stream().map(v -> v.equals("Create") ? "CreateAccount" : v).toList();
  }

  private static Optional<FieldValue> read(final Condition condition, final Rule rule, final Optional<SolanaMessage> message,
      final Optional<Instruction> instruction, final EvaluationContext ctx) {
    final FieldSource source = condition.fieldSource();
    if (source == FieldSource.SYSTEM) {
      return Optional.of(FieldValue.number(BigInteger.valueOf(ctx.now().getEpochSecond())));
    }
    if (message.isEmpty() || !source.isSolana()) {
      return Optional.empty();
    }
    if (source == FieldSource.SOLANA_TRANSACTION) {
      return condition.field().equals("feePayer") ? text(message.get().feePayer()) : Optional.empty();
    }
    if (instruction.isEmpty()) {
      return Optional.empty();
    }
    final SolanaMessage m = message.get();
    final Instruction ix = instruction.get();
    final Programs.Read read = switch (source) {
      case SOLANA_PROGRAM_INSTRUCTION -> condition.field().equals("programId")
          ? new Programs.Known(m.staticKeys().get(ix.programIdIndex()), false) : new Programs.Absent();
      case SOLANA_SYSTEM_PROGRAM_INSTRUCTION -> Programs.system(m, ix, condition.field());
      case SOLANA_TOKEN_PROGRAM_INSTRUCTION -> Programs.token(m, ix, condition.field());
      default -> new Programs.Absent();
    };
    return switch (read) {
      case Programs.Known known -> known.number()
          ? Optional.of(FieldValue.number(new BigInteger(known.text()))) : text(known.text());
      case Programs.Absent absent -> Optional.empty();
      case Programs.Hidden hidden -> throw new HiddenAccount("rule \"" + rule.name() + "\" needs " + condition.field()
          + ", which the transaction loads from address lookup table " + hidden.table()
          + "; the enclave cannot see it, so the transaction is refused");
    };
  }

  private static Optional<FieldValue> text(final String value) {
    return Optional.of(new FieldValue(FieldValue.Kind.TEXT, value));
  }
}
