package dev.mandate.recurring;

import java.util.List;

/**
 * Where the scheduler tick sends due runs: SQS in AWS ({@link SqsRunQueue}, consumed by the worker
 * function), an in-process queue and worker pool locally ({@link InProcessRunQueue}). Delivery is at
 * least once; the worker makes repeats no-ops.
 */
public interface RunQueue {
  void send(List<DueRun> runs);

  /** Waits until the runs sent so far have had their first delivery (in-process only); SQS returns at once. */
  default void flush() {}
}
