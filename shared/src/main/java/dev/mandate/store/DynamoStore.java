package dev.mandate.store;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Delete;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.TransactionConflictException;

/**
 * {@link Store} on one DynamoDB table laid out by {@link TableSchema}. Reads of the base table are
 * strongly consistent; every write carries a condition; nothing scans.
 *
 * <p>The endpoint comes from the SDK's configuration ({@code AWS_ENDPOINT_URL}), so this runs
 * unchanged on AWS, DynamoDB Local, LocalStack and moto.
 */
public final class DynamoStore implements Store {
  /** Environment variable / system property naming the table. */
  public static final String TABLE_SETTING = "MANDATE_TABLE_NAME";
  public static final String DEFAULT_TABLE = "mandate";

  // An expired item still in the table (TTL deletion lags by up to days) counts as absent.
  private static final String CREATE_CONDITION = "attribute_not_exists(#pk) OR #ttl <= :now";
  private static final String VERSION_CONDITION = "#ver = :expected AND (attribute_not_exists(#ttl) OR #ttl > :now)";
  private static final String LIVE_FILTER = "(attribute_not_exists(#ttl) OR #ttl > :now)";
  private static final String CONDITIONAL_CHECK_FAILED = "ConditionalCheckFailed";
  private static final String TRANSACTION_CONFLICT = "TransactionConflict";

  private final DynamoDbClient client;
  private final String table;
  private final Clock clock;

  private DynamoStore(final DynamoDbClient client, final String table, final Clock clock) {
    this.client = client;
    this.table = table;
    this.clock = clock;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The table this store writes. */
  public String tableName() {
    return table;
  }

  @Override
  public Optional<Item> get(final String appId, final String kind, final String id) {
    Item.checkKey(appId, kind, id);
    final Map<String, AttributeValue> found = client.getItem(r -> r
        .tableName(table)
        .key(key(appId, Keys.sortKey(kind, id)))
        .consistentRead(true)).item();
    return live(found);
  }

  @Override
  public void create(final Item item) {
    try {
      client.putItem(r -> r
          .tableName(table)
          .item(toAttributes(item, 1))
          .conditionExpression(CREATE_CONDITION)
          .expressionAttributeNames(Map.of("#pk", TableSchema.PK, "#ttl", TableSchema.TTL))
          .expressionAttributeValues(Map.of(":now", now())));
    } catch (ConditionalCheckFailedException e) {
      throw new ItemExistsException(item.appId(), item.kind(), item.id());
    } catch (TransactionConflictException e) {
      throw new ConcurrentUpdateException(item.appId(), item.kind(), item.id(), 0);
    }
  }

  @Override
  public void createAll(final List<Item> items) {
    updateAll(items.stream().map(Update::create).toList());
  }

  @Override
  public void update(final Item item, final long expectedVersion) {
    try {
      client.putItem(r -> r
          .tableName(table)
          .item(toAttributes(item, expectedVersion + 1))
          .conditionExpression(VERSION_CONDITION)
          .expressionAttributeNames(versionNames())
          .expressionAttributeValues(versionValues(expectedVersion))
          .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
    } catch (ConditionalCheckFailedException e) {
      throw versionFailure(item.appId(), item.kind(), item.id(), expectedVersion, e.item());
    } catch (TransactionConflictException e) {
      throw new ConcurrentUpdateException(item.appId(), item.kind(), item.id(), expectedVersion);
    }
  }

  @Override
  public void delete(final String appId, final String kind, final String id, final long expectedVersion) {
    Item.checkKey(appId, kind, id);
    try {
      client.deleteItem(r -> r
          .tableName(table)
          .key(key(appId, Keys.sortKey(kind, id)))
          .conditionExpression(VERSION_CONDITION)
          .expressionAttributeNames(versionNames())
          .expressionAttributeValues(versionValues(expectedVersion))
          .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
    } catch (ConditionalCheckFailedException e) {
      throw versionFailure(appId, kind, id, expectedVersion, e.item());
    } catch (TransactionConflictException e) {
      throw new ConcurrentUpdateException(appId, kind, id, expectedVersion);
    }
  }

  @Override
  public void updateAll(final List<Update> updates) {
    Writes.checkTransaction(updates);
    if (updates.isEmpty()) {
      return;
    }
    final List<TransactWriteItem> writes = updates.stream().map(this::transactWrite).toList();
    try {
      client.transactWriteItems(r -> r.transactItems(writes));
    } catch (TransactionCanceledException e) {
      throw transactionFailure(updates, e);
    }
  }

  @Override
  public Page query(final String appId, final String kind, final String idPrefix, final Optional<String> cursor,
      final int limit, final Map<String, String> attrEquals) {
    Writes.checkList(appId, kind, limit, attrEquals);
    final Optional<String> after = cursor.map(c -> Cursors.decode(kind, c));
    final QueryRequest.Builder query = listQuery(appId, kind, idPrefix, attrEquals);
    final List<Item> collected = new ArrayList<>();
    Map<String, AttributeValue> start = after.map(sk -> key(appId, sk)).orElse(null);
    // Limit counts items read before the filter, so keep reading until limit + 1 items survive it
    // (the extra one proves a next page exists) or the partition ends.
    do {
      final QueryResponse response = client.query(query
          .limit(limit + 1 - collected.size())
          .exclusiveStartKey(start)
          .build());
      response.items().forEach(attributes -> collected.add(fromAttributes(attributes)));
      start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
    } while (start != null && collected.size() <= limit);
    return Page.of(collected, limit);
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
          .filterExpression(LIVE_FILTER)
          .expressionAttributeNames(Map.of("#g1pk", TableSchema.GSI1_PK, "#g1sk", TableSchema.GSI1_SK, "#ttl", TableSchema.TTL))
          .expressionAttributeValues(Map.of(":g1pk", s(gsi1pk), ":g1sk", s(gsi1sk), ":now", now()))
          .exclusiveStartKey(from));
      response.items().forEach(attributes -> found.add(fromAttributes(attributes)));
      start = response.hasLastEvaluatedKey() && !response.lastEvaluatedKey().isEmpty() ? response.lastEvaluatedKey() : null;
    } while (start != null && found.size() < 2);
    if (found.size() > 1) {
      throw new IllegalStateException("several items are indexed under one " + TableSchema.GSI1 + " key");
    }
    return found.stream().findFirst();
  }

  private QueryRequest.Builder listQuery(final String appId, final String kind, final String idPrefix,
      final Map<String, String> attrEquals) {
    final Map<String, String> names = new HashMap<>(Map.of("#pk", TableSchema.PK, "#sk", TableSchema.SK, "#ttl", TableSchema.TTL));
    final Map<String, AttributeValue> values = new HashMap<>(Map.of(
        ":pk", s(Keys.partitionKey(appId)), ":prefix", s(Keys.sortKeyPrefix(kind) + idPrefix), ":now", now()));
    final StringBuilder filter = new StringBuilder(LIVE_FILTER);
    int i = 0;
    for (final Map.Entry<String, String> condition : attrEquals.entrySet()) {
      names.put("#f" + i, condition.getKey());
      values.put(":f" + i, s(condition.getValue()));
      filter.append(" AND #f").append(i).append(" = :f").append(i);
      i++;
    }
    return QueryRequest.builder()
        .tableName(table)
        .keyConditionExpression("#pk = :pk AND begins_with(#sk, :prefix)")
        .filterExpression(filter.toString())
        .expressionAttributeNames(names)
        .expressionAttributeValues(values)
        .consistentRead(true);
  }

  private TransactWriteItem transactWrite(final Update update) {
    return switch (update) {
      case Update.Create c -> TransactWriteItem.builder().put(Put.builder()
          .tableName(table)
          .item(toAttributes(c.item(), 1))
          .conditionExpression(CREATE_CONDITION)
          .expressionAttributeNames(Map.of("#pk", TableSchema.PK, "#ttl", TableSchema.TTL))
          .expressionAttributeValues(Map.of(":now", now()))
          .build()).build();
      case Update.Replace r -> TransactWriteItem.builder().put(Put.builder()
          .tableName(table)
          .item(toAttributes(r.item(), r.expectedVersion() + 1))
          .conditionExpression(VERSION_CONDITION)
          .expressionAttributeNames(versionNames())
          .expressionAttributeValues(versionValues(r.expectedVersion()))
          .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
          .build()).build();
      case Update.Delete d -> TransactWriteItem.builder().delete(Delete.builder()
          .tableName(table)
          .key(key(d.appId(), Keys.sortKey(d.kind(), d.id())))
          .conditionExpression(VERSION_CONDITION)
          .expressionAttributeNames(versionNames())
          .expressionAttributeValues(versionValues(d.expectedVersion()))
          .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
          .build()).build();
      case Update.Check c -> TransactWriteItem.builder().conditionCheck(ConditionCheck.builder()
          .tableName(table)
          .key(key(c.appId(), Keys.sortKey(c.kind(), c.id())))
          .conditionExpression(VERSION_CONDITION)
          .expressionAttributeNames(versionNames())
          .expressionAttributeValues(versionValues(c.expectedVersion()))
          .returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD)
          .build()).build();
    };
  }

  /** The exception for the first update (in list order) that made the transaction fail. */
  private RuntimeException transactionFailure(final List<Update> updates, final TransactionCanceledException e) {
    final List<CancellationReason> reasons = e.cancellationReasons();
    for (int i = 0; i < reasons.size() && i < updates.size(); i++) {
      if (CONDITIONAL_CHECK_FAILED.equals(reasons.get(i).code())) {
        return conditionFailure(updates.get(i), reasons.get(i).item());
      }
    }
    for (int i = 0; i < reasons.size() && i < updates.size(); i++) {
      if (TRANSACTION_CONFLICT.equals(reasons.get(i).code())) {
        final Update u = updates.get(i);
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
    final Item item = fromAttributes(attributes);
    return item.isExpiredAt(clock.instant().getEpochSecond()) ? Optional.empty() : Optional.of(item);
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

    /** The clock that decides which items have expired; tests inject a fixed one. */
    public Builder clock(final Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    public DynamoStore build() {
      return new DynamoStore(
          Optional.ofNullable(client).orElseGet(Builder::defaultClient),
          Optional.ofNullable(tableName).or(() -> setting(TABLE_SETTING)).orElse(DEFAULT_TABLE),
          clock);
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
