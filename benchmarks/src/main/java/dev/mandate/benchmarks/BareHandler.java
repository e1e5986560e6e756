package dev.mandate.benchmarks;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.mandate.config.AwsClients;
import dev.mandate.store.TableSchema;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The cold-start baseline: a Lambda handler that makes one DynamoDB GetItem and answers. */
public final class BareHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
  private final DynamoDbClient dynamo = AwsClients.configure(DynamoDbClient.builder()).build();
  private final String table = System.getenv().getOrDefault("MANDATE_TABLE_NAME", "mandate");

  @Override
  public APIGatewayV2HTTPResponse handleRequest(final APIGatewayV2HTTPEvent event, final Context context) {
    final boolean found = dynamo.getItem(r -> r.tableName(table).consistentRead(true).key(Map.of(
        TableSchema.PK, AttributeValue.fromS("bare#" + event.getRawPath()),
        TableSchema.SK, AttributeValue.fromS("bare")))).hasItem();
    return APIGatewayV2HTTPResponse.builder().withStatusCode(200)
        .withBody("{\"found\":" + found + "}").build();
  }
}
