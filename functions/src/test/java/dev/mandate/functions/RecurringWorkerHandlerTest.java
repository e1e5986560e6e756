package dev.mandate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import dev.mandate.Mandate;
import dev.mandate.enclave.Enclave;
import dev.mandate.enclave.keys.DevKeyWrapper;
import dev.mandate.recurring.DueRun;
import dev.mandate.recurring.RecurringWorker;
import dev.mandate.recurring.WorkerHooks;
import dev.mandate.signing.PublicUrl;
import dev.mandate.store.InMemoryStore;
import dev.mandate.testkit.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SQS worker: what is done is acknowledged, what must come back is a batch item failure. */
class RecurringWorkerHandlerTest {
  @TempDir
  Path dir;

  @Test
  void leasedOrFailingRunsComeBackAndMalformedOrSpentOnesAreAcknowledged() {
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T12:00:00Z"));
    final InMemoryStore store = InMemoryStore.create(clock);
    final DevKeyWrapper keys = DevKeyWrapper.builder().keyFile(dir.resolve("dev.key")).build();
    final Mandate mandate = Mandate.create(store, store.idempotency(), new Enclave(keys, clock)::handle,
        new PublicUrl(Optional.of("http://127.0.0.1:8080")), clock);
    final RecurringWorker worker = mandate.recurringWorker(WorkerHooks.NONE, Duration.ofMinutes(1));
    // A claimed run (its worker died after the claim) is leased: a second delivery must come back later.
    final DueRun leased = new DueRun("app1", "action1", clock.millis(), "_due.x.0", "e1");
    final RecurringWorker dying = mandate.recurringWorker(new WorkerHooks() {
      @Override
      public void afterClaim(final DueRun run) {
        throw new IllegalStateException("killed");
      }
    }, Duration.ofMinutes(1));
    final SQSBatchResponse first = new RecurringWorkerHandler(dying).handleRequest(event(message("m0", leased.toJson())), null);
    assertThat(first.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
        .containsExactly("m0");

    final SQSBatchResponse response = new RecurringWorkerHandler(worker).handleRequest(event(
        message("m1", "not a due run"),
        message("m2", leased.toJson()),
        message("m3", new DueRun("app1", "gone", clock.millis(), "_due.x.0", "e3").toJson())), null);
    assertThat(response.getBatchItemFailures()).extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
        .containsExactly("m2");
  }

  private static SQSEvent event(final SQSEvent.SQSMessage... messages) {
    final SQSEvent event = new SQSEvent();
    event.setRecords(List.of(messages));
    return event;
  }

  private static SQSEvent.SQSMessage message(final String id, final String body) {
    final SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
    message.setMessageId(id);
    message.setBody(body);
    return message;
  }
}
