package dev.mandate.testkit;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * SDK clients for a local endpoint (DynamoDB Local, moto): dummy static credentials, us-east-1 and
 * {@link UrlConnectionHttpClient}, so nothing depends on the developer's AWS configuration.
 *
 * <p>The HTTP client is chosen explicitly because test classpaths carry several (DynamoDB Local
 * pulls in Apache and Netty), and the SDK refuses to pick one by itself.
 */
public final class AwsTestClients {
  public static final Region REGION = Region.US_EAST_1;

  private AwsTestClients() {}

  /** Credentials local emulators accept; they are not secrets. */
  public static AwsCredentialsProvider dummyCredentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
  }

  /** A {@link DynamoDbClient} for {@code endpoint}. The caller closes it. */
  public static DynamoDbClient dynamoDb(final URI endpoint) {
    return configure(DynamoDbClient.builder(), endpoint);
  }

  /**
   * Any SDK v2 sync client for {@code endpoint}, e.g. {@code configure(KmsClient.builder(), moto.endpoint())}.
   * Generic so this module need not depend on every service's SDK artifact.
   */
  public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C configure(
      final B builder, final URI endpoint) {
    return builder
        .endpointOverride(endpoint)
        .region(REGION)
        .credentialsProvider(dummyCredentials())
        // A builder, not an instance: the SDK then owns the HTTP client and closes it with the client.
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }
}
