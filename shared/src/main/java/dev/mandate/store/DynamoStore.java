package dev.mandate.store;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Get;
import software.amazon.awssdk.services.dynamodb.model.ItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/**
 * {@link Store} on the DynamoDB table laid out by {@link TableSchema}, with every item
 * {@link Anchors anchored} in a second table (same keys) that only Mandate's functions may write.
 * Every write is one {@code TransactWriteItems} over the item and its anchor; every {@link #get} is
 * one {@code BatchGetItem} over both tables; lists read the same key range of both tables and
 * compare them. Reads of the base table are strongly consistent; every write carries a condition;
 * nothing scans.
 *
 * <p>The endpoint comes from the SDK's configuration ({@code AWS_ENDPOINT_URL}), so this runs
 * unchanged on AWS, DynamoDB Local, LocalStack and moto.
 */
public final class DynamoStore implements Store {
  /** Environment variable / system property naming the table. */
  public static final String TABLE_SETTING = "MANDATE_TABLE_NAME";
  public static final String DEFAULT_TABLE = "mandate";
  /** Environment variable / system property naming the anchor table (default: the table name + {@code -anchor}). */
  public static final String ANCHOR_TABLE_SETTING = "MANDATE_ANCHOR_TABLE_NAME";
  /** How often a read that saw the two tables disagree re-reads them in one transaction before refusing. */
  private static final int CONFIRM_ATTEMPTS = 5;
  /** How often a transaction cancelled only by conflicting transactions is tried. */
  private static final int CONFLICT_ATTEMPTS = 3;
  /** Items per BatchGetItem: DynamoDB's 100 keys, halved for the anchors read beside them. */
  private static final int MAX_BATCH_ITEMS = 50;
  /** BatchGetItem requests for one batch (the first and retries of unprocessed keys) before refusing. */
  private static final int UNPROCESSED_ATTEMPTS = 8;

  // An expired item still in the table (TTL deletion lags by up to days) counts as absent.
  private static final String CREATE_CONDITION = "attribute_not_exists(#pk) OR #ttl <= :now";
  private static final String VERSION_CONDITION = "#ver = :expected AND (attribute_not_exists(#ttl) OR #ttl > :now)";
  private static final String CONDITIONAL_CHECK_FAILED = "ConditionalCheckFailed";
  private static final String TRANSACTION_CONFLICT = "TransactionConflict";

  private final DynamoDbClient client;
  private final String table;
  private final String anchorTable;
  private final Clock clock;

  private DynamoStore(final DynamoDbClient client, final String table, final String anchorTable, final Clock clock) {
    this.client = client;
    this.table = table;
    this.anchorTable = anchorTable;
    this.clock = clock;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The table this store writes. */
  public String tableName() {
    return table;
  }

  /** The table holding the anchors of {@link #tableName()}'s items. */
  public String anchorTableName() {
    return anchorTable;
  }

  @Override
  public Optional<Item> get(final String appId, final String kind, final String id) {
    Item.checkKey(appId, kind, id);
    final Map<String, AttributeValue> key = key(appId, Keys.sortKey(kind, id));
    final Map<String, List<Map<String, AttributeValue>>> found = batchGet(key);
    final Optional<Map<String, AttributeValue>> stored = found.getOrDefault(table, List.of()).stream().findFirst();
    final Optional<Map<String, AttributeValue>> anchor = found.getOrDefault(anchorTable, List.of()).stream().findFirst();
    return verify(key, stored, anchor);
  }

  @Override
  public List<Item> getAll(final String appId, final String kind, final Collection<String> ids) {
    return List.copyOf(getMany(appId, ids.stream().map(id -> new Key(kind, id)).toList()).values());
  }

  @Override
  public Map<Key, Item> getMany(final String appId, final Collection<Key> keys) {
    final List<Key> distinct = keys.stream().distinct().toList();
    distinct.forEach(key -> Item.checkKey(appId, key.kind(), key.id()));
    final Map<Key, Item> found = new java.util.LinkedHashMap<>();
    // 100 keys per BatchGetItem: 50 items and their 50 anchors.
    for (int from = 0; from < distinct.size(); from += MAX_BATCH_ITEMS) {
      final List<Key> batch = distinct.subList(from, Math.min(from + MAX_BATCH_ITEMS, distinct.size()));
      final List<Map<String, AttributeValue>> dynamoKeys = batch.stream()
          .map(key -> key(appId, Keys.sortKey(key.kind(), key.id()))).toList();
      final Map<String, List<Map<String, AttributeValue>>> read = batchGet(dynamoKeys);
      final Map<String, Map<String, AttributeValue>> items = bySortKey(read.getOrDefault(table, List.of()));
      final Map<String, Map<String, AttributeValue>> anchors = bySortKey(read.getOrDefault(anchorTable, List.of()));
      for (int i = 0; i < batch.size(); i++) {
        final Map<String, AttributeValue> key = dynamoKeys.get(i);
        final String sortKey = key.get(TableSchema.SK).s();
        final Key wanted = batch.get(i);
        verify(key, Optional.ofNullable(items.get(sortKey)), Optional.ofNullable(anchors.get(sortKey)))
            .ifPresent(item -> found.put(wanted, item));
      }
    }
    return found;
  }

  private static Map<String, Map<String, AttributeValue>> bySortKey(final List<Map<String, AttributeValue>> items) {
    final Map<String, Map<String, AttributeValue>> bySortKey = new HashMap<>();
    items.forEach(item -> bySortKey.put(item.get(TableSchema.SK).s(), item));
    return bySortKey;
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
    if (updates.isEmpty()) {
      return;
    }
    // Each update and its anchor, side by side: writes 2i (item) and 2i + 1 (anchor).
    final List<TransactWriteItem> writes = new ArrayList<>();
    updates.forEach(update -> {
      writes.add(transactWrite(table, update, update instanceof Update.OfItem o ? toAttributes(o.item(), newVersion(update)) : Map.of()));
      writes.add(transactWrite(anchorTable, update, update instanceof Update.OfItem o ? anchorAttributes(o.item(), newVersion(update)) : Map.of()));
    });
    for (int attempt = 1; ; attempt++) {
      try {
        client.transactWriteItems(r -> r.transactItems(writes));
        return;
      } catch (TransactionCanceledException e) {
        // Every write is a transaction now, so concurrent writers of one item meet as transaction
        // conflicts (nothing was written); retry those as DynamoDB advises, then report them.
        if (!conflictOnly(e) || attempt >= CONFLICT_ATTEMPTS) {
          throw transactionFailure(updates, e);
        }
      } catch (TransactionConflictException e) {
        if (attempt >= CONFLICT_ATTEMPTS) {
          final Update first = updates.get(0);
          throw new ConcurrentUpdateException(first.appId(), first.kind(), first.id(), expectedVersion(first));
        }
      }
      pause(attempt);
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
    // The same key range of both tables, merged in key order: an item without its anchor or an
    // anchor without its item fails the list, rather than being skipped or shown. Filters apply to
    // verified items only, so an edited attribute can neither hide an item nor add one.
    final RangeReader items = new RangeReader(table, appId, prefix, after, limit + 1);
    final RangeReader anchors = new RangeReader(anchorTable, appId, prefix, after, limit + 1);
    final List<Item> collected = new ArrayList<>();
    while (collected.size() <= limit && (items.hasNext() || anchors.hasNext())) {
      final String sortKey = nextKey(items, anchors);
      final Map<String, AttributeValue> key = key(appId, sortKey);
      final Optional<Map<String, AttributeValue>> item = items.takeIf(sortKey);
      final Optional<Map<String, AttributeValue>> anchor = anchors.takeIf(sortKey);
      try {
        verify(key, item, anchor).filter(found -> matches(found, attrEquals)).ifPresent(collected::add);
      } catch (IntegrityViolationException e) {
        refused.accept(e);
      }
    }
    return Page.of(collected, limit);
  }

  private static String nextKey(final RangeReader items, final RangeReader anchors) {
    if (!items.hasNext()) {
      return anchors.peekKey();
    }
    if (!anchors.hasNext()) {
      return items.peekKey();
    }
    final String a = items.peekKey();
    final String b = anchors.peekKey();
    return Keys.SORT_ORDER.compare(a, b) <= 0 ? a : b;
  }

  private static boolean matches(final Item item, final Map<String, String> attrEquals) {
    return attrEquals.entrySet().stream().allMatch(e -> e.getValue().equals(item.attrs().get(e.getKey())));
  }

  /** One table's items in a key range, read a page at a time as the merge consumes them. */
  private final class RangeReader {
    private final QueryRequest.Builder query;
    private final String appId;
    private final int pageSize;
    private final ArrayDeque<Map<String, AttributeValue>> buffered = new ArrayDeque<>();
    private Map<String, AttributeValue> start;
    private boolean exhausted;

    RangeReader(final String tableName, final String appId, final String prefix, final Optional<String> after,
        final int pageSize) {
      this.appId = appId;
      this.pageSize = pageSize;
      this.query = QueryRequest.builder()
          .tableName(tableName)
          .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
          .expressionAttributeNames(Map.of("#pk", TableSchema.PK, "#sk", TableSchema.SK))
          .expressionAttributeValues(Map.of(":pk", s(Keys.partitionKey(appId)), ":prefix", s(prefix)))
          .consistentRead(true);
      this.start = after.map(sk -> key(appId, sk)).orElse(null);
    }

    boolean hasNext() {
      while (buffered.isEmpty() && !exhausted) {
        final QueryResponse response = client.query(query.limit(pageSize).exclusiveStartKey(start).build());
        buffered.addAll(response.items());
        start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
        exhausted = start == null;
      }
      return !buffered.isEmpty();
    }

    String peekKey() {
      return buffered.peekFirst().get(TableSchema.SK).s();
    }

    /** The next item if it has {@code sortKey}, consumed. */
    Optional<Map<String, AttributeValue>> takeIf(final String sortKey) {
      return hasNext() && peekKey().equals(sortKey) ? Optional.of(buffered.pollFirst()) : Optional.empty();
    }
  }

  @Override
  public Optional<Item> findByIndex(final String gsi1pk, final String gsi1sk) {
    Writes.checkIndexKey(gsi1pk, gsi1sk);
    final List<Item> found = new ArrayList<>();
    Map<String, AttributeValue> start = null;
    do {
      final Map<String, AttributeValue> from = start;
      final QueryResponse response = client.query(r -> r
          .tableName(table)
          .indexName(TableSchema.GSI1)
          .keyConditionExpression("#g1pk = :g1pk AND #g1sk = :g1sk")
          .expressionAttributeNames(Map.of("#g1pk", TableSchema.GSI1_PK, "#g1sk", TableSchema.GSI1_SK))
          .expressionAttributeValues(Map.of(":g1pk", s(gsi1pk), ":g1sk", s(gsi1sk)))
          .exclusiveStartKey(from));
      // The index is built from the main table: re-read each hit with its anchor, and keep it only
      // if the anchored item is indexed here.
      response.items().forEach(attributes -> get(
              Keys.appId(attributes.get(TableSchema.PK).s()),
              Keys.kindAndId(attributes.get(TableSchema.SK).s())[0],
              Keys.kindAndId(attributes.get(TableSchema.SK).s())[1])
          .filter(item -> gsi1pk.equals(item.attrs().get(Item.GSI1_PK)) && gsi1sk.equals(item.attrs().get(Item.GSI1_SK)))
          .ifPresent(found::add));
      start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
    } while (start != null && found.size() < 2);
    if (found.size() > 1) {
      throw new IllegalStateException("several items are indexed under one " + TableSchema.GSI1 + " key");
    }
    return found.stream().findFirst();
  }

  /** The write of {@code update} to {@code tableName} ({@code attributes}: what a create or replace puts). */
  private TransactWriteItem transactWrite(final String tableName, final Update update,
      final Map<String, AttributeValue> attributes) {
    return switch (update) {
      case Update.Create c -> TransactWriteItem.builder().put(Put.builder()
          .tableName(tableName)
          .item(attributes)
          .conditionExpression(CREATE_CONDITION)
          .expressionAttributeNames(Map.of("#pk", TableSchema.PK, "#ttl", TableSchema.TTL))
          .expressionAttributeValues(Map.of(":now", now()))
          .build()).build();
      case Update.Replace r -> TransactWriteItem.builder().put(Put.builder()
          .tableName(tableName)
          .item(attributes)
          .conditionExpression(VERSION_CONDITION)
          .expressionAttributeNames(versionNames())
          .expressionAttributeValues(versionValues(r.expectedVersion()))
          .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
          .build()).build();
      case Update.Delete d -> TransactWriteItem.builder().delete(Delete.builder()
          .tableName(tableName)
          .key(key(d.appId(), Keys.sortKey(d.kind(), d.id())))
          .conditionExpression(VERSION_CONDITION)
          .expressionAttributeNames(versionNames())
          .expressionAttributeValues(versionValues(d.expectedVersion()))
          .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
          .build()).build();
      case Update.Check c -> TransactWriteItem.builder().conditionCheck(ConditionCheck.builder()
          .tableName(tableName)
          .key(key(c.appId(), Keys.sortKey(c.kind(), c.id())))
          .conditionExpression(VERSION_CONDITION)
          .expressionAttributeNames(versionNames())
          .expressionAttributeValues(versionValues(c.expectedVersion()))
          .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
          .build()).build();
    };
  }

  private static long newVersion(final Update update) {
    return update instanceof Update.Replace r ? r.expectedVersion() + 1 : 1;
  }

  private static boolean conflictOnly(final TransactionCanceledException e) {
    return e.hasCancellationReasons()
        && e.cancellationReasons().stream().noneMatch(r -> CONDITIONAL_CHECK_FAILED.equals(r.code()))
        && e.cancellationReasons().stream().anyMatch(r -> TRANSACTION_CONFLICT.equals(r.code()));
  }

  /** The exception for the first update (in list order) that made the transaction fail. */
  private RuntimeException transactionFailure(final List<Update> updates, final TransactionCanceledException e) {
    final List<CancellationReason> reasons = e.cancellationReasons();
    for (int i = 0; i < updates.size() && 2 * i + 1 < reasons.size(); i++) {
      if (CONDITIONAL_CHECK_FAILED.equals(reasons.get(2 * i).code())) {
        return conditionFailure(updates.get(i), reasons.get(2 * i).item());
      }
      if (CONDITIONAL_CHECK_FAILED.equals(reasons.get(2 * i + 1).code())) {
        // The item passed its condition but its anchor did not: the item is not what was written.
        final Update u = updates.get(i);
        return new IntegrityViolationException(u.kind(), u.id(), "item does not match its anchor");
      }
    }
    for (int i = 0; i < reasons.size() && i / 2 < updates.size(); i++) {
      if (TRANSACTION_CONFLICT.equals(reasons.get(i).code())) {
        final Update u = updates.get(i / 2);
        return new ConcurrentUpdateException(u.appId(), u.kind(), u.id(), expectedVersion(u));
      }
    }
    return e;
  }

  private StoreException conditionFailure(final Update update, final Map<String, AttributeValue> old) {
    return switch (update) {
      case Update.Create c -> new ItemExistsException(c.appId(), c.kind(), c.id());
      default -> versionFailure(update.appId(), update.kind(), update.id(), expectedVersion(update), old);
    };
  }

  private static long expectedVersion(final Update update) {
    return switch (update) {
      case Update.Create c -> 0;
      case Update.Replace r -> r.expectedVersion();
      case Update.Delete d -> d.expectedVersion();
      case Update.Check c -> c.expectedVersion();
    };
  }

  /** A failed version condition: the item is gone (or expired), or it is at another version. */
  private StoreException versionFailure(final String appId, final String kind, final String id, final long expected,
      final Map<String, AttributeValue> old) {
    if (live(old).isEmpty()) {
      return new ItemNotFoundException(appId, kind, id);
    }
    return new ConcurrentUpdateException(appId, kind, id, expected);
  }

  private Optional<Item> live(final Map<String, AttributeValue> attributes) {
    if (attributes == null || attributes.isEmpty()) {
      return Optional.empty();
    }
    final Item item;
    try {
      item = fromAttributes(attributes);
    } catch (RuntimeException malformed) {
      // Not something this store wrote; the next read reports it as an integrity failure.
      return Optional.of(Item.of("-", "-", "-", ""));
    }
    return item.isExpiredAt(clock.instant().getEpochSecond()) ? Optional.empty() : Optional.of(item);
  }

  /** One key of both tables in one round trip. */
  private Map<String, List<Map<String, AttributeValue>>> batchGet(final Map<String, AttributeValue> key) {
    return batchGet(List.of(key));
  }

  /** Keys of both tables (at most 50) in one round trip, again for any the service left unprocessed. */
  private Map<String, List<Map<String, AttributeValue>>> batchGet(final List<Map<String, AttributeValue>> keys) {
    final Map<String, List<Map<String, AttributeValue>>> found = new HashMap<>();
    Map<String, KeysAndAttributes> pending = Map.of(
        table, KeysAndAttributes.builder().keys(keys).consistentRead(true).build(),
        anchorTable, KeysAndAttributes.builder().keys(keys).consistentRead(true).build());
    for (int attempt = 1; !pending.isEmpty(); attempt++) {
      if (attempt > UNPROCESSED_ATTEMPTS) {
        // Throttled again and again: refuse (503, like any unanswered call) rather than answer for keys never read.
        throw software.amazon.awssdk.core.exception.SdkClientException.create(
            "DynamoDB left keys unprocessed after " + UNPROCESSED_ATTEMPTS + " attempts");
      }
      if (attempt > 1) {
        pause(attempt);
      }
      final Map<String, KeysAndAttributes> request = pending;
      final BatchGetItemResponse response = client.batchGetItem(r -> r.requestItems(request));
      response.responses().forEach((name, items) -> found.computeIfAbsent(name, n -> new ArrayList<>()).addAll(items));
      pending = response.hasUnprocessedKeys() ? response.unprocessedKeys() : Map.of();
    }
    return found;
  }

  /**
   * The item a read may return for {@code key}, from what the two tables held. Reads of the two are
   * not isolated from a concurrent transaction, so a disagreement is confirmed by re-reading both in
   * one (serializable) transaction before it is reported.
   */
  private Optional<Item> verify(final Map<String, AttributeValue> key, final Optional<Map<String, AttributeValue>> stored,
      final Optional<Map<String, AttributeValue>> anchor) {
    final long now = clock.instant().getEpochSecond();
    final Optional<Anchors.Anchor> anchored = anchor.map(DynamoStore::anchorFromAttributes);
    final Optional<Item> item = parse(key, stored, anchored, now);
    if (!Anchors.disagree(item, anchored, now)) {
      return verifyAt(key, item, anchored, now);
    }
    return confirm(key, now);
  }

  private Optional<Item> confirm(final Map<String, AttributeValue> key, final long now) {
    for (int attempt = 1; ; attempt++) {
      try {
        final List<ItemResponse> responses = client.transactGetItems(r -> r.transactItems(
            TransactGetItem.builder().get(Get.builder().tableName(table).key(key).build()).build(),
            TransactGetItem.builder().get(Get.builder().tableName(anchorTable).key(key).build()).build())).responses();
        final Optional<Anchors.Anchor> anchored = present(responses.get(1)).map(DynamoStore::anchorFromAttributes);
        return verifyAt(key, parse(key, present(responses.get(0)), anchored, now), anchored, now);
      } catch (TransactionCanceledException | TransactionConflictException e) {
        // A write to this key is in flight: read again once it has landed.
        if (attempt >= CONFIRM_ATTEMPTS) {
          throw e;
        }
        pause(attempt);
      }
    }
  }

  /**
   * The stored item as an {@link Item}. One the store could not have written (no version, a number
   * where a string belongs) is a forgery unless its anchor has expired.
   */
  private static Optional<Item> parse(final Map<String, AttributeValue> key, final Optional<Map<String, AttributeValue>> stored,
      final Optional<Anchors.Anchor> anchor, final long now) {
    try {
      return stored.map(DynamoStore::fromAttributes);
    } catch (RuntimeException malformed) {
      if (anchor.isPresent() && anchor.get().isExpiredAt(now)) {
        return Optional.empty();
      }
      final String[] kindAndId = Keys.kindAndId(key.get(TableSchema.SK).s());
      throw new IntegrityViolationException(kindAndId[0], kindAndId[1], "item is malformed");
    }
  }

  private static Optional<Item> verifyAt(final Map<String, AttributeValue> key, final Optional<Item> item,
      final Optional<Anchors.Anchor> anchor, final long now) {
    final String[] kindAndId = Keys.kindAndId(key.get(TableSchema.SK).s());
    return Anchors.verify(kindAndId[0], kindAndId[1], item, anchor, now);
  }

  private static Optional<Map<String, AttributeValue>> present(final ItemResponse response) {
    return response == null || !response.hasItem() || response.item().isEmpty() ? Optional.empty() : Optional.of(response.item());
  }

  private static void pause(final int attempt) {
    try {
      Thread.sleep(10L * attempt);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while re-reading an item", e);
    }
  }

  private static Map<String, AttributeValue> anchorAttributes(final Item item, final long version) {
    final Item written = item.withVersion(version);
    final Map<String, AttributeValue> attributes = new HashMap<>(key(item.appId(), Keys.sortKey(item.kind(), item.id())));
    attributes.put(Anchors.DIGEST, s(Anchors.digest(written)));
    attributes.put(TableSchema.VER, n(version));
    item.expiresAt().ifPresent(at -> attributes.put(TableSchema.TTL, n(at)));
    return attributes;
  }

  private static Anchors.Anchor anchorFromAttributes(final Map<String, AttributeValue> attributes) {
    final AttributeValue digest = attributes.get(Anchors.DIGEST);
    final AttributeValue version = attributes.get(TableSchema.VER);
    return new Anchors.Anchor(
        digest == null || digest.s() == null ? "" : digest.s(),
        version == null || version.n() == null ? -1 : Long.parseLong(version.n()),
        Optional.ofNullable(attributes.get(TableSchema.TTL)).map(ttl -> Long.parseLong(ttl.n())));
  }

  private static Map<String, AttributeValue> toAttributes(final Item item, final long version) {
    final Map<String, AttributeValue> attributes = new HashMap<>();
    item.attrs().forEach((name, value) -> attributes.put(name, s(value)));
    attributes.putAll(key(item.appId(), Keys.sortKey(item.kind(), item.id())));
    attributes.put(TableSchema.DOC, s(item.doc()));
    attributes.put(TableSchema.VER, n(version));
    item.expiresAt().ifPresent(at -> attributes.put(TableSchema.TTL, n(at)));
    return attributes;
  }

  private static Item fromAttributes(final Map<String, AttributeValue> attributes) {
    final String[] kindAndId = Keys.kindAndId(attributes.get(TableSchema.SK).s());
    final Map<String, String> attrs = new HashMap<>();
    attributes.forEach((name, value) -> {
      // Only string attributes the store itself could have written; anything else is not ours.
      if (value.s() != null && Item.isAttrName(name)) {
        attrs.put(name, value.s());
      }
    });
    final AttributeValue doc = attributes.get(TableSchema.DOC);
    return new Item(
        Keys.appId(attributes.get(TableSchema.PK).s()),
        kindAndId[0],
        kindAndId[1],
        doc == null || doc.s() == null ? "" : doc.s(),
        Long.parseLong(attributes.get(TableSchema.VER).n()),
        attrs,
        Optional.ofNullable(attributes.get(TableSchema.TTL)).map(ttl -> Long.parseLong(ttl.n())));
  }

  private static Map<String, AttributeValue> key(final String appId, final String sortKey) {
    return Map.of(TableSchema.PK, s(Keys.partitionKey(appId)), TableSchema.SK, s(sortKey));
  }

  private static Map<String, String> versionNames() {
    return Map.of("#ver", TableSchema.VER, "#ttl", TableSchema.TTL);
  }

  private Map<String, AttributeValue> versionValues(final long expectedVersion) {
    return Map.of(":expected", n(expectedVersion), ":now", now());
  }

  private AttributeValue now() {
    return n(clock.instant().getEpochSecond());
  }

  private static AttributeValue s(final String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeValue n(final long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  /** Builds a {@link DynamoStore}; unset values default from the environment. */
  public static final class Builder {
    private DynamoDbClient client;
    private String tableName;
    private String anchorTableName;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Defaults to a client configured by {@link dev.mandate.config.AwsClients} (URLConnection, timeouts, safe retries) and the SDK's default region/credentials/endpoint. */
    public Builder client(final DynamoDbClient client) {
      this.client = Objects.requireNonNull(client, "client");
      return this;
    }

    /** Defaults to {@code MANDATE_TABLE_NAME} (system property, then environment variable), else {@code mandate}. */
    public Builder tableName(final String tableName) {
      this.tableName = Objects.requireNonNull(tableName, "tableName");
      return this;
    }

    /** Defaults to {@code MANDATE_ANCHOR_TABLE_NAME}, else the table name + {@code -anchor}. */
    public Builder anchorTableName(final String anchorTableName) {
      this.anchorTableName = Objects.requireNonNull(anchorTableName, "anchorTableName");
      return this;
    }

    /** The clock that decides which items have expired; tests inject a fixed one. */
    public Builder clock(final Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public DynamoStore build() {
      final String table = Optional.ofNullable(tableName).or(() -> setting(TABLE_SETTING)).orElse(DEFAULT_TABLE);
      final String anchors = Optional.ofNullable(anchorTableName).or(() -> setting(ANCHOR_TABLE_SETTING))
          .orElse(TableSchema.anchorTableName(table));
      if (anchors.equals(table)) {
        throw new IllegalArgumentException("the anchor table must not be the table it anchors");
      }
      return new DynamoStore(Optional.ofNullable(client).orElseGet(Builder::defaultClient), table, anchors, clock);
    }

    private static DynamoDbClient defaultClient() {
      return dev.mandate.config.AwsClients.configure(DynamoDbClient.builder()).build();
    }

    private static Optional<String> setting(final String name) {
      final String property = System.getProperty(name);
      if (property != null && !property.isBlank()) {
        return Optional.of(property.trim());
      }
      final String env = System.getenv(name);
      return env == null || env.isBlank() ? Optional.empty() : Optional.of(env.trim());
    }
  }
}
