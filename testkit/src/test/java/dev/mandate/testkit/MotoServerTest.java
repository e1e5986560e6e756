package dev.mandate.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

class MotoServerTest {

  // moto also emulates DynamoDB; this module has no KMS SDK, so DynamoDB proves the endpoint works.
  @Test
  void answersAwsApiCallsAndForgetsStateOnReset() {
    try (MotoServer moto = MotoServer.start(); DynamoDbClient client = AwsTestClients.dynamoDb(moto.endpoint())) {
      client.createTable(b -> b.tableName("probe")
          .billingMode(BillingMode.PAY_PER_REQUEST)
          .attributeDefinitions(AttributeDefinition.builder().attributeName("pk").attributeType(ScalarAttributeType.S).build())
          .keySchema(KeySchemaElement.builder().attributeName("pk").keyType(KeyType.HASH).build()));
      assertThat(client.listTables().tableNames()).containsExactly("probe");

      moto.reset();

      assertThat(client.listTables().tableNames()).isEmpty();
    }
  }

  @Test
  void closeKillsTheProcessTree() {
    final MotoServer moto = MotoServer.start();
    final long before = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count();
    moto.close();
    moto.close();
    final long after = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).count();
    assertThat(after).isLessThan(before);
  }

  @Test
  void findsAnExecutableOnPath(@TempDir final Path dir) throws IOException {
    final Path fake = dir.resolve("moto_server");
    Files.writeString(fake, "#!/bin/sh\n");
    Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));

    assertThat(Executables.onPath("moto_server", "/nonexistent:" + dir)).contains(fake);
  }

  @Test
  void findsNothingWhenAbsentFromPath(@TempDir final Path dir) {
    assertThat(Executables.onPath("moto_server", dir.toString())).isEmpty();
    assertThat(Executables.onPath("moto_server", "")).isEmpty();
  }

  @Test
  void installHintNamesTheServerExtra() {
    assertThat(new MotoServerNotFoundException(MotoServer.INSTALL_HINT))
        .isInstanceOf(BackendStartException.class)
        .hasMessageContaining("moto[server]")
        .hasMessageContaining("PATH");
  }
}
