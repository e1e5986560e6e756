package dev.mandate.functions;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.mandate.Mandate;
import dev.mandate.api.Log;
import dev.mandate.recurring.DueRun;
import dev.mandate.recurring.RecurringWorker;
import java.util.ArrayList;
import java.util.List;

/**
 * Consumes the run queue (SQS, batches of up to 10, {@code ReportBatchItemFailures}): runs each due
 * run through {@link RecurringWorker}. A run to retry later, or one whose worker failed, is reported
 * as a batch item failure, so SQS delivers it again after the visibility timeout and, after
 * {@code maxReceiveCount} deliveries, moves it to the dead-letter queue. A malformed message can never
 * succeed: it is logged and dropped.
 */
public final class RecurringWorkerHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {
  private final RecurringWorker worker;

  public RecurringWorkerHandler() {
    this(Mandate.instance().recurringWorker());
  }

  RecurringWorkerHandler(final RecurringWorker worker) {
    this.worker = worker;
  }

  @Override
  public SQSBatchResponse handleRequest(final SQSEvent event, final Context context) {
    final List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    for (final SQSEvent.SQSMessage message : event.getRecords()) {
      if (!process(message)) {
        failures.add(SQSBatchResponse.BatchItemFailure.builder().withItemIdentifier(message.getMessageId()).build());
      }
    }
    return SQSBatchResponse.builder().withBatchItemFailures(failures).build();
  }

  private boolean process(final SQSEvent.SQSMessage message) {
    final DueRun run;
    try {
      run = DueRun.fromJson(message.getBody());
    } catch (IllegalArgumentException e) {
      Log.error("recurring_message_malformed", "message", message.getMessageId());
      return true;
    }
    try {
      return worker.process(run) == RecurringWorker.Delivery.DONE;
    } catch (RuntimeException e) {
      Log.error("recurring_worker_failed", "action", run.actionId(), "error", e.getClass().getSimpleName());
      return false;
    }
  }
}
