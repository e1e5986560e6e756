package dev.mandate.functions;

import dev.mandate.Mandate;

/** {@code /v1/policies[/{id}[/rules[/{rule_id}]]]} and {@code /v1/condition_sets…}. */
public final class PoliciesHandler extends HttpApiHandler {
  public PoliciesHandler() {
    super(Mandate.instance().policiesApi());
  }
}
