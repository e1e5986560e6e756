package dev.mandate.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mandate.testkit.AwsTestClients;
import dev.mandate.testkit.DynamoDbLocal;
import dev.mandate.testkit.MutableClock;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveStatus;

/** The store contract against DynamoDB Local over HTTP, one server and one table per class. */
class DynamoStoreTest extends StoreContractTest {
  private static final String TABLE = "mandate-test";
  private static DynamoDbLocal dynamoDb;
  private static DynamoDbClient client;

  @BeforeAll
  static void startDynamoDb() {
    dynamoDb = DynamoDbLocal.start();
    client = AwsTestClients.dynamoDb(dynamoDb.endpoint());
    TableSchema.createIfAbsent(client, TABLE);
  }

  @AfterAll
  static void stopDynamoDb() {
    client.close();
    dynamoDb.close();
  }

  @Override
  Store newStore(final MutableClock clock) {
    return DynamoStore.builder().client(client).tableName(TABLE).clock(clock).build();
  }

  @Override
  void tamperPut(final Item item) {
    final Map<String, AttributeValue> attributes = new HashMap<>();
    item.attrs().forEach((name, value) -> attributes.put(name, AttributeValue.fromS(value)));
    attributes.put("pk", AttributeValue.fromS("app#" + item.appId()));
    attributes.put("sk", AttributeValue.fromS(item.kind() + "#" + item.id()));
    attributes.put("doc", AttributeValue.fromS(item.doc()));
    attributes.put("ver", AttributeValue.fromN(Long.toString(item.version())));
    item.expiresAt().ifPresent(at -> attributes.put("ttl", AttributeValue.fromN(Long.toString(at))));
    client.putItem(r -> r.tableName(TABLE).item(attributes));
  }

  @Override
  void tamperDelete(final String appId, final String kind, final String id) {
    client.deleteItem(r -> r.tableName(TABLE).key(Map.of(
        "pk", AttributeValue.fromS("app#" + appId), "sk", AttributeValue.fromS(kind + "#" + id))));
  }

  @Test
  void aMalformedItemIsAnIntegrityFailureNotACrash() {
    final Store store = newStore(new MutableClock(START));
    store.create(Item.of("malformed-app", "wallet", "w1", "{}"));
    final Map<String, AttributeValue> noVersion = Map.of(
        "pk", AttributeValue.fromS("app#malformed-app"), "sk", AttributeValue.fromS("wallet#w1"), "doc", AttributeValue.fromN("1"));
    client.putItem(r -> r.tableName(TABLE).item(noVersion));
    client.putItem(r -> r.tableName(TABLE).item(Map.of(
        "pk", AttributeValue.fromS("app#malformed-app"), "sk", AttributeValue.fromS("wallet#w2"), "ver", AttributeValue.fromS("x"))));

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.get("malformed-app", "wallet", "w1"))
        .isInstanceOf(IntegrityViolationException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.get("malformed-app", "wallet", "w2"))
        .isInstanceOf(IntegrityViolationException.class);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.list("malformed-app", "wallet", java.util.Optional.empty(), 10, Map.of()))
        .isInstanceOf(IntegrityViolationException.class);
  }

  @Test
  void everyItemHasAnAnchorInTheAnchorTable() {
    final Store store = newStore(new MutableClock(START));
    store.create(Item.of("anchored-app", "wallet", "w1", "{}"));

    final Map<String, AttributeValue> anchor = client.getItem(r -> r.tableName(TABLE + "-anchor").key(Map.of(
        "pk", AttributeValue.fromS("app#anchored-app"), "sk", AttributeValue.fromS("wallet#w1")))).item();
    assertThat(anchor).containsKeys("dig", "ver").doesNotContainKey("doc");
    assertThat(client.describeTable(r -> r.tableName(TABLE + "-anchor")).table().keySchema())
        .extracting(k -> k.attributeName()).containsExactly("pk", "sk");
  }

  @Test
  void tableHasTheDocumentedShape() {
    TableSchema.createIfAbsent(client, TABLE);

    final TableDescription table = client.describeTable(r -> r.tableName(TABLE)).table();
    assertThat(table.keySchema()).extracting(k -> k.attributeName()).containsExactly("pk", "sk");
    assertThat(table.globalSecondaryIndexes()).singleElement().satisfies(index -> {
      assertThat(index.indexName()).isEqualTo("gsi1");
      assertThat(index.keySchema()).extracting(k -> k.attributeName()).containsExactly("gsi1pk", "gsi1sk");
    });
    assertThat(client.describeTimeToLive(r -> r.tableName(TABLE)).timeToLiveDescription())
        .satisfies(ttl -> {
          assertThat(ttl.timeToLiveStatus()).isEqualTo(TimeToLiveStatus.ENABLED);
          assertThat(ttl.attributeName()).isEqualTo("ttl");
        });
  }

  @Test
  void tableNameDefaultsFromTheEnvironment() {
    System.setProperty(DynamoStore.TABLE_SETTING, "from-property");
    try {
      assertThat(DynamoStore.builder().client(client).build().tableName()).isEqualTo("from-property");
    } finally {
      System.clearProperty(DynamoStore.TABLE_SETTING);
    }
    assertThat(DynamoStore.builder().client(client).build().tableName()).isIn("mandate", System.getenv("MANDATE_TABLE_NAME"));
  }
}
