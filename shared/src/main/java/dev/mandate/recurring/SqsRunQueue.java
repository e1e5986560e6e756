package dev.mandate.recurring;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.BatchResultErrorEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchResponse;

/**
 * Sends due runs to the SQS queue the worker function consumes ({@code MANDATE_RUN_QUEUE_URL}), ten
 * to a {@code SendMessageBatch}, {@value #PARALLEL_BATCHES} batches at a time (100,000 runs are
 * 10,000 batches: one after the other they would not fit in the tick's timeout). An entry SQS refuses
 * is retried once, then fails the tick loudly: the tick's watermark does not move, so the next tick
 * sends the minute again (repeats are no-ops).
 */
public final class SqsRunQueue implements RunQueue {
  public static final String QUEUE_URL_SETTING = "MANDATE_RUN_QUEUE_URL";
  private static final int BATCH = 10;
  static final int PARALLEL_BATCHES = 16;

  private final SqsClient sqs;
  private final String queueUrl;

  public SqsRunQueue(final SqsClient sqs, final String queueUrl) {
    this.sqs = sqs;
    this.queueUrl = queueUrl;
  }

  @Override
  public void send(final List<DueRun> runs) {
    final List<java.util.concurrent.Future<?>> sent = new ArrayList<>();
    final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
        Math.min(PARALLEL_BATCHES, (runs.size() + BATCH - 1) / BATCH + 1));
    try {
      for (int from = 0; from < runs.size(); from += BATCH) {
        final List<DueRun> batch = runs.subList(from, Math.min(runs.size(), from + BATCH));
        sent.add(pool.submit(() -> sendBatch(batch)));
      }
      for (final java.util.concurrent.Future<?> f : sent) {
        f.get();
      }
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while sending due runs", e);
    } finally {
      pool.shutdownNow();
    }
  }

  private void sendBatch(final List<DueRun> batch) {
    final List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
    for (int i = 0; i < batch.size(); i++) {
      entries.add(SendMessageBatchRequestEntry.builder().id(Integer.toString(i)).messageBody(batch.get(i).toJson()).build());
    }
    List<SendMessageBatchRequestEntry> pending = entries;
    for (int attempt = 0; attempt < 2 && !pending.isEmpty(); attempt++) {
      final List<SendMessageBatchRequestEntry> sending = pending;
      final SendMessageBatchResponse response = sqs.sendMessageBatch(r -> r.queueUrl(queueUrl).entries(sending));
      final List<String> failed = response.failed().stream().map(BatchResultErrorEntry::id).toList();
      pending = sending.stream().filter(e -> failed.contains(e.id())).toList();
    }
    if (!pending.isEmpty()) {
      throw new IllegalStateException("SQS refused " + pending.size() + " due runs twice");
    }
  }
}
