package dev.mandate.functions;

import dev.mandate.Mandate;

/** {@code /v1/recurring_actions[/{id}[/pause|/resume|/runs]]}: Mandate's recurring actions. */
public final class RecurringActionsHandler extends HttpApiHandler {
  public RecurringActionsHandler() {
    super(Mandate.instance().recurringApi());
  }
}
