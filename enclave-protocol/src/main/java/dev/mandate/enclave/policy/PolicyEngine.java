package dev.mandate.enclave.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Evaluates a policy against a wallet request with Privy's semantics (privy-api.md §8.4):
 *
 * <ol>
 *   <li>only rules whose method is the request's method, or {@code *}, count ({@code raw_sign}
 *       and {@code signRawMessageBytes} are one method);
 *   <li>a rule matches when all its conditions hold;
 *   <li>any matching DENY rule denies, whatever the order;
 *   <li>otherwise any matching ALLOW rule allows;
 *   <li>otherwise the request is denied, also when the policy has no rules.
 * </ol>
 */
public final class PolicyEngine {
  private PolicyEngine() {}

  /**
   * @param policy the policy that applies to this request
   * @param input the parsed request, the object whose digest is signed
   * @param ctx clock, condition sets and aggregation sums
   * @return the decision and the rule that made it; never throws on request content. A DENY rule
   *     whose conditions cannot be decided on what is signed (unknown, see {@link FieldReader})
   *     denies; an ALLOW rule allows only when every condition holds.
   */
  public static Decision evaluate(final Policy policy, final PolicyInput input, final EvaluationContext ctx) {
    try {
      final List<Map.Entry<Rule, Truth>> truths =
          policy.rules().stream().map(rule -> Map.entry(rule, rule.matches(input, ctx))).toList();
      return first(truths, Action.DENY, Truth.TRUE).map(Decision::byRule)
          .or(() -> first(truths, Action.DENY, Truth.UNKNOWN).map(Decision::undecidableDeny))
          .or(() -> first(truths, Action.ALLOW, Truth.TRUE).map(Decision::byRule))
          .orElseGet(Decision::noRuleMatched);
    } catch (RuntimeException e) {
      // A bug here must not turn into a signature: fail closed.
      return Decision.denied("policy evaluation failed");
    }
  }

  /**
   * Parses {@code requestBody} with the signer's parser ({@link PolicyInput#parse}) and evaluates
   * it; a body the signer would refuse is denied. The enclave evaluates the parsed request it signs
   * ({@link #evaluate(Policy, PolicyInput, EvaluationContext)}); this is for tools and tests.
   */
  public static Decision evaluate(
      final Policy policy, final String method, final JsonNode requestBody, final EvaluationContext ctx) {
    final PolicyInput input;
    try {
      input = PolicyInput.parse(method, requestBody);
    } catch (RuntimeException e) {
      return Decision.denied("the request is not valid: " + e.getMessage());
    }
    return evaluate(policy, input, ctx);
  }

  private static Optional<Rule> first(final List<Map.Entry<Rule, Truth>> truths, final Action action, final Truth truth) {
    return truths.stream()
        .filter(e -> e.getKey().action() == action && e.getValue() == truth)
        .map(Map.Entry::getKey)
        .findFirst();
  }
}
