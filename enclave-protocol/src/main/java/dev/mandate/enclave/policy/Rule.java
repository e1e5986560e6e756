package dev.mandate.enclave.policy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;

/**
 * A policy rule: when every condition holds for a request of its method, its action applies.
 * Build it with {@link PolicyParser#parseRule}, which validates it.
 *
 * @param id minted by the caller
 * @param name 1 to {@value PolicyParser#MAX_NAME_CHARS} characters
 * @param method an RPC method (see {@link PolicyParser#METHODS}) or {@code *}
 * @param conditions ANDed; none means the rule matches every request of its method
 * @param action what a match does
 */
public record Rule(String id, String name, String method, List<Condition> conditions, Action action) {
  public Rule {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(method, "method");
    conditions = List.copyOf(conditions);
    Objects.requireNonNull(action, "action");
  }

  /**
   * Whether this rule is considered for a request of {@code requestMethod}. A DENY on one
   * digest-signing method ({@code raw_sign}, {@code signRawMessageBytes}, rpc {@code secp256k1_sign})
   * covers them all: each signs a caller-chosen digest with the wallet key (byte-identical answers), so
   * the DENY must not be dodged through another route. ALLOW rules keep to the method they name.
   */
  public boolean appliesTo(final String requestMethod) {
    return "*".equals(method) || PolicyParser.canonicalMethod(method).equals(PolicyParser.canonicalMethod(requestMethod))
        || action == Action.DENY && DIGEST_SIGNING.contains(method) && DIGEST_SIGNING.contains(requestMethod);
  }

  private static final java.util.Set<String> DIGEST_SIGNING = java.util.Set.of("raw_sign", "signRawMessageBytes",
      "secp256k1_sign");

  /** Whether every condition holds; {@link Truth#FALSE} when the rule is for another method. */
  Truth matches(final PolicyInput input, final EvaluationContext ctx) {
    if (!appliesTo(input.method())) {
      return Truth.FALSE;
    }
    Truth truth = Truth.TRUE;
    for (final Condition condition : conditions) {
      truth = truth.and(condition.holds(input, ctx));
      if (truth == Truth.FALSE) {
        return truth;
      }
    }
    return truth;
  }

  public Rule withId(final String newId) {
    return new Rule(newId, name, method, conditions, action);
  }

  /** Privy's rule object {@code {id, name, method, conditions, action}}. */
  public ObjectNode toJson() {
    final ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("id", id);
    out.put("name", name);
    out.put("method", method);
    final ArrayNode array = out.putArray("conditions");
    conditions.forEach(c -> array.add(c.toJson()));
    out.put("action", action.name());
    return out;
  }
}
