package dev.mandate.enclave.policy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * The outcome of evaluating a policy, with the rule that decided it and a one-line reason: a
 * Mandate extension (Privy only says "policy_violation"), so an operator can see which rule
 * allowed or blocked a request.
 *
 * @param allowed whether the request may be signed
 * @param ruleId the deciding rule, if a rule decided
 * @param ruleName its name
 * @param ruleAction its action, {@code ALLOW} or {@code DENY}
 * @param reason for people, e.g. {@code DENY rule "Block mixer" matched}
 */
public record Decision(
    boolean allowed, Optional<String> ruleId, Optional<String> ruleName, Optional<String> ruleAction, String reason) {
  public static final String NO_RULE_MATCHED = "no rule matched";

  /** The rule matched and its action decides. */
  public static Decision byRule(final Rule rule) {
    return new Decision(rule.action() == Action.ALLOW, Optional.of(rule.id()), Optional.of(rule.name()),
        Optional.of(rule.action().name()), rule.action().name() + " rule \"" + rule.name() + "\" matched");
  }

  /**
   * A DENY rule that cannot be ruled out: a field it reads is not determined by what is signed
   * (see {@link FieldReader}), so the request might be one it denies.
   */
  public static Decision undecidableDeny(final Rule rule) {
    return new Decision(false, Optional.of(rule.id()), Optional.of(rule.name()), Optional.of(rule.action().name()),
        "DENY rule \"" + rule.name() + "\" could not be ruled out: a field it reads is not determined by what is signed");
  }

  /** Privy's default: nothing allowed it, so it is denied. */
  public static Decision noRuleMatched() {
    return denied(NO_RULE_MATCHED);
  }

  /** Denied without a deciding rule. */
  public static Decision denied(final String reason) {
    return new Decision(false, Optional.empty(), Optional.empty(), Optional.empty(), reason);
  }

  /** {@code {"decision":"ALLOW"|"DENY","rule":{"id","name","action"}|null,"reason":"…"}}. */
  public ObjectNode toJson() {
    final ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("decision", allowed ? "ALLOW" : "DENY");
    if (ruleId.isPresent()) {
      out.putObject("rule")
          .put("id", ruleId.get())
          .put("name", ruleName.orElse(""))
          .put("action", ruleAction.orElse(""));
    } else {
      out.putNull("rule");
    }
    out.put("reason", reason);
    return out;
  }
}
