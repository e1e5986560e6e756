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
 * expiry, page order and cursors), for unit tests of other modules and benchmarks. Thread-safe:
 * reads share a lock, writes (and whole transactions) are exclusive.
 */
public final class InMemoryStore implements Store {
  private final Clock clock;
  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  /** appId to (sort key to item), in DynamoDB's sort order. */
  private final Map<String, NavigableMap<String, Item>> partitions = new HashMap<>();
  /** (gsi1pk, gsi1sk) to the items indexed there. */
  private final Map<List<String>, Set<List<String>>> index = new HashMap<>();

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
    return read(() -> live(appId, Keys.sortKey(kind, id)));
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
    Writes.checkList(appId, kind, limit, attrEquals);
    final Optional<String> after = cursor.map(c -> Cursors.decode(kind, c));
    final String prefix = Keys.sortKeyPrefix(kind) + idPrefix;
    return read(() -> {
      final NavigableMap<String, Item> partition = partitions.getOrDefault(appId, new TreeMap<>(Keys.SORT_ORDER));
      final NavigableMap<String, Item> tail = after.map(sk -> partition.tailMap(sk, false))
          .orElseGet(() -> partition.tailMap(prefix, true));
      final List<Item> collected = new ArrayList<>();
      for (final Map.Entry<String, Item> entry : tail.entrySet()) {
        if (!entry.getKey().startsWith(prefix) || collected.size() > limit) {
          break;
        }
        if (isLive(entry.getValue()) && matches(entry.getValue(), attrEquals)) {
          collected.add(entry.getValue());
        }
      }
      return Page.of(collected, limit);
    });
  }

  @Override
  public Optional<Item> findByIndex(final String gsi1pk, final String gsi1sk) {
    Writes.checkIndexKey(gsi1pk, gsi1sk);
    return read(() -> {
      final List<Item> found = index.getOrDefault(List.of(gsi1pk, gsi1sk), Set.of()).stream()
          .map(key -> partitions.get(key.get(0)).get(key.get(1)))
          .filter(this::isLive)
          .toList();
      if (found.size() > 1) {
        throw new IllegalStateException("several items are indexed under one " + TableSchema.GSI1 + " key");
      }
      return found.stream().findFirst();
    });
  }

  private void checkCondition(final Update update) {
    final Optional<Item> current = live(update.appId(), Keys.sortKey(update.kind(), update.id()));
    switch (update) {
      case Update.Create c -> {
        if (current.isPresent()) {
          throw new ItemExistsException(c.appId(), c.kind(), c.id());
        }
      }
      case Update.Replace r -> checkVersion(update, current, r.expectedVersion());
      case Update.Delete d -> checkVersion(update, current, d.expectedVersion());
      case Update.Check c -> checkVersion(update, current, c.expectedVersion());
    }
  }

  private static void checkVersion(final Update update, final Optional<Item> current, final long expected) {
    if (current.isEmpty()) {
      throw new ItemNotFoundException(update.appId(), update.kind(), update.id());
    }
    if (current.get().version() != expected) {
      throw new ConcurrentUpdateException(update.appId(), update.kind(), update.id(), expected);
    }
  }

  private void apply(final Update update) {
    switch (update) {
      case Update.Create c -> put(c.item().withVersion(1));
      case Update.Replace r -> put(r.item().withVersion(r.expectedVersion() + 1));
      case Update.Delete d -> remove(d.appId(), Keys.sortKey(d.kind(), d.id()));
      case Update.Check c -> {
        // A check writes nothing.
      }
    }
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

  private <T> T read(final Supplier<T> action) {
    lock.readLock().lock();
    try {
      return action.get();
    } finally {
      lock.readLock().unlock();
    }
  }
}
