package dev.mandate.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An app-scoped document store: every record is an {@link Item} keyed by (appId, kind, id). Every
 * write is conditional, so no write silently overwrites another; items whose {@code expiresAt} has
 * passed count as absent everywhere, even before DynamoDB's TTL sweeper deletes them.
 *
 * <p>Every item is {@link Anchors anchored}: a read returns only what the store itself wrote last,
 * and throws {@link IntegrityViolationException} for an item that was edited, restored, deleted or
 * forged behind its back (by a direct table write).
 *
 * <p>Implementations: {@link DynamoStore} (production, DynamoDB Local, LocalStack, moto) and
 * {@link InMemoryStore} (unit tests, benchmarks); both pass the same contract tests.
 */
public interface Store {
  /** Largest page {@link #list} returns. */
  int MAX_PAGE_SIZE = 1_000;
  /**
   * Most updates in one {@link #updateAll}: DynamoDB's limit of 100 writes per transaction, halved
   * because each update also writes its item's anchor. More are refused, never split.
   */
  int MAX_TRANSACTION_SIZE = 50;

  /** The item, read with strong consistency. */
  Optional<Item> get(String appId, String kind, String id);

  /**
   * The live items of one kind among {@code ids} (absent ones left out), read with strong
   * consistency in as few round trips as the backend allows (DynamoDB: one BatchGetItem per 50
   * items and their anchors), each verified against its anchor like {@link #get}.
   */
  default List<Item> getAll(final String appId, final String kind, final Collection<String> ids) {
    return ids.stream().distinct().map(id -> get(appId, kind, id)).flatMap(Optional::stream).toList();
  }

  /** One item's key within an app: its kind and id. */
  record Key(String kind, String id) {}

  /**
   * The live items among {@code keys}, of any kinds (absent ones left out), read with strong
   * consistency in as few round trips as the backend allows (DynamoDB: one BatchGetItem per 50
   * items and their anchors, again for any keys the service left unprocessed), each verified against
   * its anchor like {@link #get}.
   */
  default Map<Key, Item> getMany(final String appId, final Collection<Key> keys) {
    final Map<Key, Item> found = new java.util.LinkedHashMap<>();
    keys.stream().distinct().forEach(key -> get(appId, key.kind(), key.id()).ifPresent(item -> found.put(key, item)));
    return found;
  }

  /**
   * Stores a new item with version 1.
   *
   * @throws ItemExistsException if a live item has the same key
   */
  void create(Item item);

  /**
   * Creates all items in one transaction (e.g. a wallet, the claim on its external id, its owner
   * quorum): all or nothing.
   *
   * @throws ItemExistsException naming the first item (in list order) that already existed
   */
  void createAll(List<Item> items);

  /**
   * Replaces the stored item with {@code item} (document, attributes, expiry), writing version
   * {@code expectedVersion + 1}.
   *
   * @throws ConcurrentUpdateException if the stored version is not {@code expectedVersion}
   * @throws ItemNotFoundException if there is no such item
   */
  void update(Item item, long expectedVersion);

  /**
   * Applies a mix of creates, replaces, deletes and checks atomically (at most
   * {@link #MAX_TRANSACTION_SIZE}, each item once).
   *
   * @throws ItemExistsException, ConcurrentUpdateException, ItemNotFoundException for the first
   *     update (in list order) whose condition failed; nothing is written
   */
  void updateAll(List<Update> updates);

  /**
   * Deletes the item if it is at {@code expectedVersion}.
   *
   * @throws ConcurrentUpdateException if it is at another version
   * @throws ItemNotFoundException if there is no such item
   */
  void delete(String appId, String kind, String id, long expectedVersion);

  /**
   * One page of the app's items of {@code kind}, in id order, keeping only items whose attributes
   * equal every entry of {@code attrEquals}. Pages are full (exactly {@code limit} items) unless
   * the list ends; {@code nextCursor} is present only when more items follow.
   *
   * @param limit 1 to {@link #MAX_PAGE_SIZE}
   * @throws InvalidCursorException if {@code cursor} was not issued for this kind
   */
  default Page list(String appId, String kind, Optional<String> cursor, int limit, Map<String, String> attrEquals) {
    return query(appId, kind, "", cursor, limit, attrEquals);
  }

  /**
   * Items of {@code kind} whose id starts with {@code idPrefix}, in id order: a range read, not a
   * filter, for one-to-many lookups such as a user's wallets (ids {@code <user>.<wallet>}).
   */
  default Page listByIdPrefix(String appId, String kind, String idPrefix, Optional<String> cursor, int limit) {
    return query(appId, kind, idPrefix, cursor, limit, Map.of());
  }

  /**
   * Like {@link #listByIdPrefix}, starting after {@code afterId} (which need not exist): a range read
   * that skips what sorts before, e.g. a wallet's transactions since a time (ids
   * {@code <wallet>.<ms>.<random>}, after {@code <wallet>.<since ms>}). Continue with
   * {@link #listByIdPrefix} and the page's cursor.
   */
  default Page listByIdPrefixAfter(String appId, String kind, String idPrefix, String afterId, int limit) {
    if (!afterId.startsWith(idPrefix)) {
      throw new IllegalArgumentException("afterId must start with idPrefix");
    }
    return query(appId, kind, idPrefix, Optional.of(Cursors.encode(Keys.sortKey(kind, afterId))), limit, Map.of());
  }

  /** The one range read behind {@link #list} and {@link #listByIdPrefix}. */
  Page query(String appId, String kind, String idPrefix, Optional<String> cursor, int limit, Map<String, String> attrEquals);

  /**
   * Like {@link #listByIdPrefix}, but an item that fails its anchor check is handed to
   * {@code refused} and left out instead of failing the whole page: for background scans (the
   * recurring-action tick) where one forged or edited item must not stop every other run. Never use
   * it where a missing item could change a decision.
   */
  Page listByIdPrefixSkippingRefused(String appId, String kind, String idPrefix, Optional<String> cursor, int limit,
      java.util.function.Consumer<IntegrityViolationException> refused);

  /**
   * The item indexed under exactly ({@code gsi1pk}, {@code gsi1sk}), whatever its app or kind.
   * Eventually consistent on DynamoDB (a global secondary index): a just-written item may be
   * missing for a moment, so never use this for uniqueness; use a claim item with create.
   *
   * @throws IllegalStateException if several live items share the pair (a modelling bug)
   */
  Optional<Item> findByIndex(String gsi1pk, String gsi1sk);

  /** Idempotency records kept in this store (24 h expiry, 15 min in-progress takeover). */
  default IdempotencyStore idempotency() {
    return IdempotencyStore.builder().store(this).build();
  }
}
