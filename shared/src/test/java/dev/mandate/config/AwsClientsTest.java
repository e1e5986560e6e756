package dev.mandate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DeleteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.PutItemRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.kms.model.DecryptRequest;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyRequest;
import software.amazon.awssdk.services.kms.model.ScheduleKeyDeletionRequest;

class AwsClientsTest {
  private static final Map<String, AttributeValue> ITEM = Map.of("pk", AttributeValue.fromS("a"));

  @Test
  void readsKmsCallsConditionalWritesAndTransactionsMayBeRetried() {
    assertThat(List.of(
        GetItemRequest.builder().build(),
        QueryRequest.builder().build(),
        DecryptRequest.builder().build(),
        GenerateDataKeyRequest.builder().build(),
        PutItemRequest.builder().item(ITEM).conditionExpression("attribute_not_exists(pk)").build(),
        UpdateItemRequest.builder().conditionExpression("ver = :v").build(),
        TransactWriteItemsRequest.builder().build()))
        .allMatch(AwsClients::safeToRepeat);
  }

  @Test
  void unconditionalWritesAndOtherKmsChangesAreNotRetried() {
    assertThat(List.of(
        PutItemRequest.builder().item(ITEM).build(),
        UpdateItemRequest.builder().updateExpression("ADD n :one").build(),
        DeleteItemRequest.builder().build(),
        ScheduleKeyDeletionRequest.builder().build()))
        .noneMatch(AwsClients::safeToRepeat);
  }

  @Test
  void interceptorsComeFromTheSettingAndAnUnknownClassFailsByName() {
    System.setProperty(AwsClients.INTERCEPTORS_SETTING, "dev.mandate.testkit.AwsCallCounter");
    try {
      assertThat(AwsClients.interceptors()).singleElement()
          .isInstanceOf(dev.mandate.testkit.AwsCallCounter.class);
      System.setProperty(AwsClients.INTERCEPTORS_SETTING, "no.such.Interceptor");
      assertThatThrownBy(AwsClients::interceptors).hasMessageContaining("no.such.Interceptor");
    } finally {
      System.clearProperty(AwsClients.INTERCEPTORS_SETTING);
    }
  }

  @Test
  void theBudgetHasDefaultsAndRefusesNonPositiveValues() {
    final AwsClients.Budget budget = AwsClients.Budget.fromEnvironment();
    assertThat(budget.call()).isGreaterThan(budget.attempt());
    System.setProperty(AwsClients.CALL_TIMEOUT_SETTING, "0");
    try {
      assertThatThrownBy(AwsClients.Budget::fromEnvironment).hasMessageContaining(AwsClients.CALL_TIMEOUT_SETTING);
    } finally {
      System.clearProperty(AwsClients.CALL_TIMEOUT_SETTING);
    }
  }
}
