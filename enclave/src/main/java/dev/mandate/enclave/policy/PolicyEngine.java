package dev.mandate.enclave.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
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
   * @param method the RPC method ({@code eth_sendTransaction}, …; {@code raw_sign} for raw_sign)
   * @param requestBody Privy's request body: {@code {"method", "params": {...}, "caip2"?}}
   * @param ctx clock, condition sets and aggregation sums
   * @return the decision and the rule that made it; never throws on request content
   */
  public static Decision evaluate(
      final Policy policy, final String method, final JsonNode requestBody, final EvaluationContext ctx) {
    try {
      final List<Rule> matching = policy.rules().stream().filter(r -> r.matches(method, requestBody, ctx)).toList();
      final Optional<Rule> deny = matching.stream().filter(r -> r.action() == Action.DENY).findFirst();
      final Optional<Rule> allow = matching.stream().filter(r -> r.action() == Action.ALLOW).findFirst();
      return deny.or(() -> allow).map(Decision::byRule).orElseGet(Decision::noRuleMatched);
    } catch (RuntimeException e) {
      // A bug here must not turn into a signature: fail closed.
      return Decision.denied("policy evaluation failed");
    }
  }
}
