package dev.mandate.recurring;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.api.Json;
import dev.mandate.api.Log;
import dev.mandate.store.ConcurrentUpdateException;
import dev.mandate.store.Item;
import dev.mandate.store.ItemExistsException;
import dev.mandate.store.Store;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The scheduler tick: finds the runs that are due by time in the {@link DueIndex} and hands them to
 * the {@link RunQueue}; workers ({@link RecurringWorker}) run them. A tick reads the index minutes
 * from its watermark (the oldest minute that may still get or hold undelivered entries) to now, so
 * its cost follows the runs due, with no cap on how many. Ticks may overlap or repeat: a run
 * delivered twice runs once.
 */
public final class RecurringRunner {
  static final String SYSTEM_APP = "_mandate";
  static final String WATERMARK_KIND = "recurring_tick";
  static final String WATERMARK_ID = "watermark";
  /** Where the first tick of a deployment starts (later ticks start at the watermark, however long ago). */
  static final Duration FIRST_LOOKBACK = Duration.ofMinutes(10);
  /** How far the clocks of the processes writing index entries may be ahead of the tick's. */
  static final Duration SKEW = Duration.ofSeconds(5);

  private final Store store;
  private final DueIndex index;
  private final RunQueue queue;
  private final Clock clock;

  public RecurringRunner(final Store store, final RunQueue queue, final Clock clock) {
    this.store = store;
    this.index = new DueIndex(store);
    this.queue = queue;
    this.clock = clock;
  }

  /** Sends every run due now to the workers (in process: and waits for their first delivery); returns how many. */
  public int runDue() {
    final Instant now = clock.instant();
    final long nowMinute = now.getEpochSecond() / 60;
    final Optional<Item> mark = store.get(SYSTEM_APP, WATERMARK_KIND, WATERMARK_ID);
    final long from = mark.map(m -> Json.parseStored(m.doc()).path("minute").asLong())
        .orElse(nowMinute - FIRST_LOOKBACK.toMinutes());
    int sent = 0;
    for (long minute = Math.min(from, nowMinute); minute <= nowMinute; minute++) {
      sent += index.scan(minute, now, queue::send);
    }
    queue.flush();
    // Entries are written for future times only, so every minute that ended before now is complete;
    // SKEW absorbs clock differences between the writers and this tick. The next tick starts at the
    // minute SKEW ago: usually just the current minute (16 Queries), two just after a minute turns.
    advance(mark, Math.max(from, now.minus(SKEW).getEpochSecond() / 60));
    if (sent > 0) {
      Log.info("recurring_tick", "sent", Integer.toString(sent));
    }
    return sent;
  }

  private void advance(final Optional<Item> mark, final long minute) {
    final ObjectNode doc = Json.object().put("minute", minute);
    try {
      if (mark.isPresent()) {
        store.update(mark.get().withDoc(doc.toString()), mark.get().version());
      } else {
        store.create(Item.of(SYSTEM_APP, WATERMARK_KIND, WATERMARK_ID, doc.toString()));
      }
    } catch (ConcurrentUpdateException | ItemExistsException overlapped) {
      // Another tick moved it; the next tick reads from wherever it is.
    }
  }
}
