package dev.mandate.recurring;

import dev.mandate.api.Log;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The local runner's stand-in for SQS and the worker function: a pool of {@code workers} threads
 * calling the same {@link RecurringWorker} the Lambda worker calls. Like SQS, a delivery that fails
 * (throws, or asks to be retried) comes back after {@code redeliveryDelay}, up to
 * {@code maxDeliveries} times, then is dead-lettered (logged; its index entry stays, so the action
 * waits for an operator, as with SQS's dead-letter queue).
 */
public final class InProcessRunQueue implements RunQueue {
  private final Function<DueRun, RecurringWorker.Delivery> worker;
  private final Duration redeliveryDelay;
  private final int maxDeliveries;
  private final ExecutorService pool;
  private final ScheduledExecutorService redeliveries;
  private final AtomicInteger firstDeliveriesPending = new AtomicInteger();
  private final Object idle = new Object();

  public InProcessRunQueue(final Function<DueRun, RecurringWorker.Delivery> worker, final int workers,
      final Duration redeliveryDelay, final int maxDeliveries) {
    this.worker = worker;
    this.redeliveryDelay = redeliveryDelay;
    this.maxDeliveries = maxDeliveries;
    this.pool = Executors.newFixedThreadPool(workers, daemon("mandate-run-worker"));
    this.redeliveries = Executors.newSingleThreadScheduledExecutor(daemon("mandate-run-redelivery"));
  }

  @Override
  public void send(final List<DueRun> runs) {
    firstDeliveriesPending.addAndGet(runs.size());
    runs.forEach(run -> pool.execute(() -> deliver(run, 1)));
  }

  /** Waits until every run sent so far has been delivered once (finished, or set aside for redelivery). */
  @Override
  public void flush() {
    synchronized (idle) {
      while (firstDeliveriesPending.get() > 0) {
        try {
          idle.wait(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  private void deliver(final DueRun run, final int attempt) {
    RecurringWorker.Delivery delivery;
    try {
      delivery = worker.apply(run);
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      Log.error("recurring_worker_failed", "action", run.actionId(), "error", e.getClass().getSimpleName());
      delivery = RecurringWorker.Delivery.RETRY;
    }
    if (delivery == RecurringWorker.Delivery.RETRY) {
      if (attempt >= maxDeliveries) {
        Log.error("recurring_run_dead_lettered", "action", run.actionId(), "run", run.runId());
      } else {
        redeliveries.schedule(() -> pool.execute(() -> deliver(run, attempt + 1)),
            redeliveryDelay.toMillis(), TimeUnit.MILLISECONDS);
      }
    }
    if (attempt == 1 && firstDeliveriesPending.decrementAndGet() == 0) {
      synchronized (idle) {
        idle.notifyAll();
      }
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(final String name) {
    final AtomicInteger n = new AtomicInteger();
    return r -> {
      final Thread thread = new Thread(r, name + "-" + n.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
