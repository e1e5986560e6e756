package dev.mandate.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

class DynamoDbLocalTest {

  @Test
  void servesDynamoDbApiOverHttpOnLoopback() {
    try (DynamoDbLocal ddb = DynamoDbLocal.start(); DynamoDbClient client = AwsTestClients.dynamoDb(ddb.endpoint())) {
      assertThat(ddb.endpoint().getHost()).isEqualTo("127.0.0.1");
      client.createTable(b -> b.tableName("probe")
          .billingMode(BillingMode.PAY_PER_REQUEST)
          .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
          .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
      assertThat(client.listTables().tableNames()).containsExactly("probe");
    }
  }

  @Test
  void startsEmptyInstancesThatDoNotShareData() {
    try (DynamoDbLocal first = DynamoDbLocal.start(); DynamoDbLocal second = DynamoDbLocal.start();
        DynamoDbClient a = AwsTestClients.dynamoDb(first.endpoint());
        DynamoDbClient b = AwsTestClients.dynamoDb(second.endpoint())) {
      a.createTable(r -> r.tableName("only-in-first")
          .billingMode(BillingMode.PAY_PER_REQUEST)
          .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
          .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
      assertThat(first.endpoint()).isNotEqualTo(second.endpoint());
      assertThat(b.listTables().tableNames()).isEmpty();
    }
  }

  @Test
  void closeReleasesThePort() {
    final DynamoDbLocal ddb = DynamoDbLocal.start();
    final int port = ddb.endpoint().getPort();
    ddb.close();
    ddb.close();
    assertThatThrownBy(() -> {
      try (Socket socket = new Socket()) {
        socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
      }
    }).isInstanceOf(java.io.IOException.class);
  }

  @Test
  void sharedInstanceIsStartedOnce() {
    assertThat(DynamoDbLocal.shared()).isSameAs(DynamoDbLocal.shared());
  }
}
