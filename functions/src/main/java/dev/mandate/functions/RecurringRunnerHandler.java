package dev.mandate.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import dev.mandate.Mandate;
import dev.mandate.recurring.RecurringRunner;
import java.util.Map;

/**
 * Invoked by the EventBridge schedule every minute (input {@code {"scheduled_time": "<aws.scheduler.scheduled-time>"}})
 * and by the local runner's ticks: sends every run that is due to the run queue (SQS, or the in-process
 * workers locally). Safe to invoke twice for the same time: each run is claimed once.
 */
public final class RecurringRunnerHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  private final RecurringRunner runner;

  public RecurringRunnerHandler() {
    this.runner = Mandate.instance().recurringRunner();
  }

  @Override
  public Map<String, Object> handleRequest(final Map<String, Object> input, final Context context) {
    return Map.of("ran", runner.runDue());
  }
}
