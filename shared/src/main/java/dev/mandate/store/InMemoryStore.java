package dev.mandate.store;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

/**
 * {@link Store} in memory with the same semantics as {@link DynamoStore} (conditions, transactions,
 * expiry, page order and cursors, {@link Anchors anchoring}), for unit tests of other modules and
 * benchmarks. Thread-safe: reads share a lock, writes (and whole transactions) are exclusive.
 *
 * <p>It keeps its "main table" and its "anchor table" apart, like {@link DynamoStore}, and
 * {@link #tableWriter()} edits the first alone, as the attacker of docs/security.md would.
 */
public final class InMemoryStore implements Store {
  private final Clock clock;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  /** appId to (sort key to item), in DynamoDB's sort order. */
  private final Map<String, NavigableMap<String, Item>> partitions = new HashMap<>();
  /** (gsi1pk, gsi1sk) to the items indexed there. */
  private final Map<List<String>, Set<List<String>>> index = new HashMap<>();
  /** appId to (sort key to anchor): what only the store itself writes. */
  private final Map<String, NavigableMap<String, Anchors.Anchor>> anchors = new HashMap<>();

  private InMemoryStore(final Clock clock) {
    this.clock = clock;
  }

  public static InMemoryStore create() {
    return new InMemoryStore(Clock.systemUTC());
  }

  /** A store whose expiry decisions follow {@code clock}. */
  public static InMemoryStore create(final Clock clock) {
    return new InMemoryStore(Objects.requireNonNull(clock, "clock"));
  }

  @Override
  public Optional<Item> get(final String appId, final String kind, final String id) {
    Item.checkKey(appId, kind, id);
    return read(() -> verified(appId, kind, id));
  }

  @Override
  public void create(final Item item) {
    updateAll(List.of(Update.create(item)));
  }

  @Override
  public void createAll(final List<Item> items) {
    updateAll(items.stream().map(Update::create).toList());
  }

  @Override
  public void update(final Item item, final long expectedVersion) {
    updateAll(List.of(Update.replace(item, expectedVersion)));
  }

  @Override
  public void delete(final String appId, final String kind, final String id, final long expectedVersion) {
    updateAll(List.of(Update.delete(appId, kind, id, expectedVersion)));
  }

  @Override
  public void updateAll(final List<Update> updates) {
    Writes.checkTransaction(updates);
    lock.writeLock().lock();
    try {
      // Check every condition before writing anything: all or nothing, like a DynamoDB transaction.
      updates.forEach(this::checkCondition);
      updates.forEach(this::apply);
    } finally {
      lock.writeLock().unlock();
    }
  }

  @Override
  public Page query(final String appId, final String kind, final String idPrefix, final Optional<String> cursor,
      final int limit, final Map<String, String> attrEquals) {
    return query(appId, kind, idPrefix, cursor, limit, attrEquals, e -> {
      throw e;
    });
  }

  @Override
  public Page listByIdPrefixSkippingRefused(final String appId, final String kind, final String idPrefix,
      final Optional<String> cursor, final int limit, final java.util.function.Consumer<IntegrityViolationException> refused) {
    return query(appId, kind, idPrefix, cursor, limit, Map.of(), refused);
  }

  private Page query(final String appId, final String kind, final String idPrefix, final Optional<String> cursor,
      final int limit, final Map<String, String> attrEquals,
      final java.util.function.Consumer<IntegrityViolationException> refused) {
    Writes.checkList(appId, kind, limit, attrEquals);
    final Optional<String> after = cursor.map(c -> Cursors.decode(kind, c));
    final String prefix = Keys.sortKeyPrefix(kind) + idPrefix;
    return read(() -> {
      final NavigableMap<String, Item> partition = partitions.getOrDefault(appId, new TreeMap<>(Keys.SORT_ORDER));
      final NavigableMap<String, Anchors.Anchor> anchored = anchors.getOrDefault(appId, new TreeMap<>(Keys.SORT_ORDER));
      // Every key either table holds in the range, merged in order: an item without an anchor, or
      // an anchor without its item, fails the read instead of being skipped.
      final java.util.Iterator<String> items = tail(partition, prefix, after).keySet().iterator();
      final java.util.Iterator<String> anchorKeys = tail(anchored, prefix, after).keySet().iterator();
      String nextItem = items.hasNext() ? items.next() : null;
      String nextAnchor = anchorKeys.hasNext() ? anchorKeys.next() : null;
      final List<Item> collected = new ArrayList<>();
      while ((nextItem != null || nextAnchor != null) && collected.size() <= limit) {
        final String sortKey = nextAnchor == null
            || (nextItem != null && Keys.SORT_ORDER.compare(nextItem, nextAnchor) <= 0) ? nextItem : nextAnchor;
        if (!sortKey.startsWith(prefix)) {
          break;
        }
        if (sortKey.equals(nextItem)) {
          nextItem = items.hasNext() ? items.next() : null;
        }
        if (sortKey.equals(nextAnchor)) {
          nextAnchor = anchorKeys.hasNext() ? anchorKeys.next() : null;
        }
        final String[] kindAndId = Keys.kindAndId(sortKey);
        try {
          verified(appId, kindAndId[0], kindAndId[1])
              .filter(item -> matches(item, attrEquals))
              .ifPresent(collected::add);
        } catch (IntegrityViolationException e) {
          refused.accept(e);
        }
      }
      return Page.of(collected, limit);
    });
  }

  private static <V> NavigableMap<String, V> tail(final NavigableMap<String, V> map, final String prefix,
      final Optional<String> after) {
    return after.map(sk -> map.tailMap(sk, false)).orElseGet(() -> map.tailMap(prefix, true));
  }

  @Override
  public Optional<Item> findByIndex(final String gsi1pk, final String gsi1sk) {
    Writes.checkIndexKey(gsi1pk, gsi1sk);
    return read(() -> {
      // The index is built from the main table: check each hit against its anchor, and that the
      // anchored item is really indexed there.
      final List<Item> found = List.copyOf(index.getOrDefault(List.of(gsi1pk, gsi1sk), Set.of())).stream()
          .map(key -> {
            final String[] kindAndId = Keys.kindAndId(key.get(1));
            return verified(key.get(0), kindAndId[0], kindAndId[1]);
          })
          .flatMap(Optional::stream)
          .filter(item -> indexKey(item).equals(Optional.of(List.of(gsi1pk, gsi1sk))))
          .toList();
      if (found.size() > 1) {
        throw new IllegalStateException("several items are indexed under one " + TableSchema.GSI1 + " key");
      }
      return found.stream().findFirst();
    });
  }

  private void checkCondition(final Update update) {
    final String sortKey = Keys.sortKey(update.kind(), update.id());
    final Optional<Item> current = live(update.appId(), sortKey);
    final Optional<Anchors.Anchor> anchor = liveAnchor(update.appId(), sortKey);
    switch (update) {
      case Update.Create c -> {
        if (current.isPresent()) {
          throw new ItemExistsException(c.appId(), c.kind(), c.id());
        }
        if (anchor.isPresent()) {
          throw new IntegrityViolationException(c.kind(), c.id(), "anchored item is missing");
        }
      }
      case Update.Replace r -> checkVersion(update, current, anchor, r.expectedVersion());
      case Update.Delete d -> checkVersion(update, current, anchor, d.expectedVersion());
      case Update.Check c -> checkVersion(update, current, anchor, c.expectedVersion());
    }
  }

  private static void checkVersion(final Update update, final Optional<Item> current,
      final Optional<Anchors.Anchor> anchor, final long expected) {
    if (current.isEmpty()) {
      throw new ItemNotFoundException(update.appId(), update.kind(), update.id());
    }
    if (current.get().version() != expected) {
      throw new ConcurrentUpdateException(update.appId(), update.kind(), update.id(), expected);
    }
    if (anchor.isEmpty() || anchor.get().version() != expected) {
      throw new IntegrityViolationException(update.kind(), update.id(), "item does not match its anchor");
    }
  }

  private void apply(final Update update) {
    switch (update) {
      case Update.Create c -> putAnchored(c.item().withVersion(1));
      case Update.Replace r -> putAnchored(r.item().withVersion(r.expectedVersion() + 1));
      case Update.Delete d -> {
        remove(d.appId(), Keys.sortKey(d.kind(), d.id()));
        anchors.get(d.appId()).remove(Keys.sortKey(d.kind(), d.id()));
      }
      case Update.Check c -> {
        // A check writes nothing.
      }
    }
  }

  private void putAnchored(final Item item) {
    put(item);
    anchors.computeIfAbsent(item.appId(), app -> new TreeMap<>(Keys.SORT_ORDER))
        .put(Keys.sortKey(item.kind(), item.id()), Anchors.Anchor.of(item));
  }

  private void put(final Item item) {
    final String sortKey = Keys.sortKey(item.kind(), item.id());
    remove(item.appId(), sortKey);
    partitions.computeIfAbsent(item.appId(), app -> new TreeMap<>(Keys.SORT_ORDER)).put(sortKey, item);
    indexKey(item).ifPresent(key -> index.computeIfAbsent(key, k -> new HashSet<>()).add(List.of(item.appId(), sortKey)));
  }

  private void remove(final String appId, final String sortKey) {
    final NavigableMap<String, Item> partition = partitions.get(appId);
    final Item old = partition == null ? null : partition.remove(sortKey);
    if (old != null) {
      indexKey(old).ifPresent(key -> {
        final Set<List<String>> entries = index.get(key);
        entries.remove(List.of(appId, sortKey));
        if (entries.isEmpty()) {
          index.remove(key);
        }
      });
    }
  }

  private static Optional<List<String>> indexKey(final Item item) {
    return item.attr(Item.GSI1_PK).map(pk -> List.of(pk, item.attrs().get(Item.GSI1_SK)));
  }

  /** The item as {@link Anchors#verify} lets a read see it. */
  private Optional<Item> verified(final String appId, final String kind, final String id) {
    final String sortKey = Keys.sortKey(kind, id);
    final NavigableMap<String, Item> partition = partitions.get(appId);
    final NavigableMap<String, Anchors.Anchor> anchored = anchors.get(appId);
    return Anchors.verify(kind, id,
        Optional.ofNullable(partition == null ? null : partition.get(sortKey)),
        Optional.ofNullable(anchored == null ? null : anchored.get(sortKey)),
        clock.instant().getEpochSecond());
  }

  private Optional<Anchors.Anchor> liveAnchor(final String appId, final String sortKey) {
    final NavigableMap<String, Anchors.Anchor> anchored = anchors.get(appId);
    return Optional.ofNullable(anchored == null ? null : anchored.get(sortKey))
        .filter(anchor -> !anchor.isExpiredAt(clock.instant().getEpochSecond()));
  }

  private Optional<Item> live(final String appId, final String sortKey) {
    final NavigableMap<String, Item> partition = partitions.get(appId);
    return Optional.ofNullable(partition == null ? null : partition.get(sortKey)).filter(this::isLive);
  }

  private boolean isLive(final Item item) {
    return !item.isExpiredAt(clock.instant().getEpochSecond());
  }

  private static boolean matches(final Item item, final Map<String, String> attrEquals) {
    return attrEquals.entrySet().stream().allMatch(e -> e.getValue().equals(item.attrs().get(e.getKey())));
  }

  /**
   * Writes to the main table alone, bypassing anchors: what the table writer of docs/security.md can
   * do. For tamper tests only.
   */
  public TableWriter tableWriter() {
    return new TableWriter();
  }

  /** See {@link #tableWriter()}. */
  public final class TableWriter {
    private TableWriter() {}

    /** Puts {@code item} exactly as given (its version included), anchored or not. */
    public void put(final Item item) {
      lock.writeLock().lock();
      try {
        InMemoryStore.this.put(item);
      } finally {
        lock.writeLock().unlock();
      }
    }

    public void delete(final String appId, final String kind, final String id) {
      lock.writeLock().lock();
      try {
        remove(appId, Keys.sortKey(kind, id));
      } finally {
        lock.writeLock().unlock();
      }
    }
  }

  private <T> T read(final Supplier<T> action) {
    lock.readLock().lock();
    try {
      return action.get();
    } finally {
      lock.readLock().unlock();
    }
  }
}
