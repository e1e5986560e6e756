package dev.mandate.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mandate.testkit.AwsTestClients;
import dev.mandate.testkit.DynamoDbLocal;
import dev.mandate.testkit.MutableClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
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
