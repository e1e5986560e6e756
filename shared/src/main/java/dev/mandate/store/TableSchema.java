package dev.mandate.store;

import java.time.Duration;
import java.util.Optional;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.IndexStatus;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/**
 * The single table every store item lives in. {@code template.yaml} must declare the same table;
 * this is the equivalent CloudFormation (keep the two in step):
 *
 * <pre>
 * Table:
 *   Type: AWS::DynamoDB::Table
 *   DeletionPolicy: Retain
 *   Properties:
 *     BillingMode: PAY_PER_REQUEST
 *     AttributeDefinitions:
 *       - {AttributeName: pk, AttributeType: S}
 *       - {AttributeName: sk, AttributeType: S}
 *       - {AttributeName: gsi1pk, AttributeType: S}
 *       - {AttributeName: gsi1sk, AttributeType: S}
 *     KeySchema:
 *       - {AttributeName: pk, KeyType: HASH}
 *       - {AttributeName: sk, KeyType: RANGE}
 *     GlobalSecondaryIndexes:
 *       - IndexName: gsi1
 *         KeySchema:
 *           - {AttributeName: gsi1pk, KeyType: HASH}
 *           - {AttributeName: gsi1sk, KeyType: RANGE}
 *         Projection: {ProjectionType: ALL}
 *     TimeToLiveSpecification: {AttributeName: ttl, Enabled: true}
 *     PointInTimeRecoverySpecification: {PointInTimeRecoveryEnabled: true}
 *     SSESpecification: {SSEEnabled: true}
 * </pre>
 *
 * <p>Items: {@code pk = app#<appId>}, {@code sk = <kind>#<id>}, {@code doc} (S, the JSON document),
 * {@code ver} (N), {@code ttl} (N, epoch seconds, only on expiring items), plus each of the item's
 * string attributes; {@code gsi1pk}/{@code gsi1sk} are set only on indexed items (sparse index).
 */
public final class TableSchema {
  public static final String PK = "pk";
  public static final String SK = "sk";
  public static final String DOC = "doc";
  public static final String VER = "ver";
  public static final String TTL = "ttl";
  public static final String GSI1 = "gsi1";
  public static final String GSI1_PK = "gsi1pk";
  public static final String GSI1_SK = "gsi1sk";
  private static final Duration ACTIVE_TIMEOUT = Duration.ofSeconds(60);

  private TableSchema() {}

  /** The anchor table's default name for {@code tableName}. */
  public static String anchorTableName(final String tableName) {
    return tableName + "-anchor";
  }

  /**
   * The CreateTable request for the anchor table: the same key schema, no index, TTL on {@code ttl}.
   * Its items: {@code pk}, {@code sk}, {@code dig} (S, the item's digest), {@code ver} (N) and
   * {@code ttl} (N, only for expiring items). Only Mandate's functions may write it (IAM).
   */
  public static CreateTableRequest createAnchorTableRequest(final String anchorTableName) {
    return CreateTableRequest.builder()
        .tableName(anchorTableName)
        .billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(stringAttribute(PK), stringAttribute(SK))
        .keySchema(key(PK, KeyType.HASH), key(SK, KeyType.RANGE))
        .build();
  }

  /** The CreateTable request for the table (PAY_PER_REQUEST, gsi1 projecting everything). */
  public static CreateTableRequest createTableRequest(final String tableName) {
    return CreateTableRequest.builder()
        .tableName(tableName)
        .billingMode(BillingMode.PAY_PER_REQUEST)
        .attributeDefinitions(stringAttribute(PK), stringAttribute(SK), stringAttribute(GSI1_PK), stringAttribute(GSI1_SK))
        .keySchema(key(PK, KeyType.HASH), key(SK, KeyType.RANGE))
        .globalSecondaryIndexes(GlobalSecondaryIndex.builder()
            .indexName(GSI1)
            .keySchema(key(GSI1_PK, KeyType.HASH), key(GSI1_SK, KeyType.RANGE))
            .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
            .build())
        .build();
  }

  /**
   * Creates the table if it does not exist, waits until it and its index are ACTIVE, and turns on
   * TTL on {@code ttl}. For local stacks and tests: in AWS, {@code template.yaml} owns the table.
   */
  public static void createIfAbsent(final DynamoDbClient client, final String tableName) {
    createIfAbsent(client, tableName, anchorTableName(tableName));
  }

  /** Creates the table and its anchor table (see {@link #createAnchorTableRequest}) if absent. */
  public static void createIfAbsent(final DynamoDbClient client, final String tableName, final String anchorTableName) {
    create(client, createTableRequest(tableName));
    create(client, createAnchorTableRequest(anchorTableName));
  }

  private static void create(final DynamoDbClient client, final CreateTableRequest request) {
    final String tableName = request.tableName();
    if (describe(client, tableName).isEmpty()) {
      try {
        client.createTable(request);
      } catch (ResourceInUseException e) {
        // Created concurrently (another test class or runner): fine, wait for it below.
      }
    }
    awaitActive(client, tableName);
    enableTtl(client, tableName);
  }

  private static Optional<TableDescription> describe(final DynamoDbClient client, final String tableName) {
    try {
      return Optional.of(client.describeTable(r -> r.tableName(tableName)).table());
    } catch (ResourceNotFoundException e) {
      return Optional.empty();
    }
  }

  private static void awaitActive(final DynamoDbClient client, final String tableName) {
    // Polling by hand: the SDK waiter's first retry comes after 20 s, far too slow for local use.
    final long deadline = System.nanoTime() + ACTIVE_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (describe(client, tableName).filter(TableSchema::isActive).isPresent()) {
        return;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for table " + tableName);
      }
    }
    throw new IllegalStateException("table " + tableName + " did not become ACTIVE within " + ACTIVE_TIMEOUT);
  }

  private static boolean isActive(final TableDescription table) {
    return table.tableStatus() == TableStatus.ACTIVE
        && table.globalSecondaryIndexes().stream().allMatch(i -> i.indexStatus() == IndexStatus.ACTIVE);
  }

  private static void enableTtl(final DynamoDbClient client, final String tableName) {
    try {
      final TimeToLiveStatus status = client.describeTimeToLive(r -> r.tableName(tableName))
          .timeToLiveDescription().timeToLiveStatus();
      if (status == TimeToLiveStatus.ENABLED || status == TimeToLiveStatus.ENABLING) {
        return;
      }
      client.updateTimeToLive(r -> r.tableName(tableName)
          .timeToLiveSpecification(s -> s.attributeName(TTL).enabled(true)));
    } catch (DynamoDbException e) {
      // Unsupported by an emulator, or enabled concurrently. Either way readers ignore expired
      // items themselves, so TTL only saves storage.
    }
  }

  private static AttributeDefinition stringAttribute(final String name) {
    return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
  }

  private static KeySchemaElement key(final String name, final KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }
}
