package dev.mandate.recurring;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.api.Json;
import dev.mandate.enclave.Rng;
import dev.mandate.store.Item;
import dev.mandate.store.ItemNotFoundException;
import dev.mandate.store.ConcurrentUpdateException;
import dev.mandate.store.Page;
import dev.mandate.store.Store;
import dev.mandate.store.Update;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The due-time index: one entry per upcoming run, in the main table, under partition
 * {@code _due.<yyyyMMddHHmm>.<shard>} (the run's minute, and one of {@value #SHARDS} shards picked
 * by the action id), sorted by scheduled time. The scheduler tick reads only the partitions of the
 * minutes that have come, so its cost follows the runs due, not the number of actions; the shards
 * keep a minute in which 100,000 runs are due from landing on one DynamoDB partition.
 *
 * <p>Entries are hints, not authority: the worker asks the enclave to sign the sealed action's
 * sealed next time, so an entry a table writer adds, copies or restores signs nothing. An entry
 * deleted by a table writer delays or stops that action (denial of service, as deleting the action).
 */
public final class DueIndex {
  /** Fixed: the tick reads every shard of a minute, so changing it strands entries in old shards. */
  public static final int SHARDS = 16;
  public static final String KIND = "recurring_due";
  static final String PREFIX = "_due.";
  private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(ZoneOffset.UTC);

  private final Store store;

  public DueIndex(final Store store) {
    this.store = store;
  }

  /** The write that adds the entry for a run of {@code actionId} at {@code scheduledAt}. */
  public Update put(final String appId, final String actionId, final long scheduledAt) {
    final String partition = partition(scheduledAt / 60_000, shard(actionId));
    // A random tail: resuming an action may announce the same time twice; both are harmless.
    final String id = String.format("%013d", scheduledAt) + "." + actionId + "." + Long.toHexString(Rng.get().nextLong());
    return Update.create(Item.of(partition, KIND, id, Json.object().put("app_id", appId).put("action_id", actionId)
        .put("scheduled_at", scheduledAt).toString()));
  }

  /** Removes an entry; one already gone is fine. */
  public void remove(final DueRun run) {
    try {
      store.delete(run.partition(), KIND, run.entryId(), 1);
    } catch (ItemNotFoundException | ConcurrentUpdateException gone) {
      // removed by an earlier delivery of the same run
    }
  }

  /**
   * Every entry of minute {@code epochMinute} scheduled at or before {@code now}, shard by shard and
   * page by page (1,000 a page, no cap on the total), handed to {@code sink} a page at a time.
   *
   * @return how many entries were handed over
   */
  public int scan(final long epochMinute, final Instant now, final Consumer<List<DueRun>> sink) {
    int found = 0;
    for (int shard = 0; shard < SHARDS; shard++) {
      final String partition = partition(epochMinute, shard);
      Optional<String> cursor = Optional.empty();
      do {
        // A forged, edited or restored entry is refused and left out (with the operators' alarm): it
        // must neither run nor stop the tick for every other run.
        final Page page = store.listByIdPrefixSkippingRefused(partition, KIND, "", cursor, Store.MAX_PAGE_SIZE,
            refused -> dev.mandate.api.Log.error("enclave_integrity_refusal", "code", "integrity_check_failed",
                "source", "store", "kind", refused.kind()));
        final List<DueRun> due = new ArrayList<>();
        for (final Item item : page.items()) {
          entry(item, partition).filter(run -> run.scheduledAt() <= now.toEpochMilli()).ifPresent(due::add);
        }
        if (!due.isEmpty()) {
          sink.accept(due);
          found += due.size();
        }
        cursor = page.nextCursor();
      } while (cursor.isPresent());
    }
    return found;
  }

  /** The run an entry announces; empty (and logged) for an entry no writer of ours made. */
  private static Optional<DueRun> entry(final Item item, final String partition) {
    try {
      final ObjectNode doc = Json.parseStored(item.doc());
      if (doc.path("app_id").isTextual() && doc.path("action_id").isTextual() && doc.path("scheduled_at").isIntegralNumber()) {
        return Optional.of(new DueRun(doc.path("app_id").asText(), doc.path("action_id").asText(),
            doc.path("scheduled_at").asLong(), partition, item.id()));
      }
    } catch (IllegalStateException malformed) {
      // fall through: one bad entry must not stop the tick for every other run
    }
    dev.mandate.api.Log.error("recurring_due_entry_malformed", "partition", partition);
    return Optional.empty();
  }

  static String partition(final long epochMinute, final int shard) {
    return PREFIX + MINUTE.format(Instant.ofEpochSecond(epochMinute * 60)) + "." + shard;
  }

  static int shard(final String actionId) {
    return Math.floorMod(actionId.hashCode(), SHARDS);
  }
}
