package dev.mandate.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mandate.enclave.keys.KeyContext;
import dev.mandate.enclave.keys.KmsAdmin;
import dev.mandate.enclave.keys.KmsKeyWrapper;
import dev.mandate.enclave.keys.WrappedKey;
import dev.mandate.store.DynamoStore;
import dev.mandate.store.Item;
import dev.mandate.store.TableSchema;
import java.net.URI;
import org.junit.jupiter.api.Test;
import org.testcontainers.localstack.LocalStackContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The same store and key wrapper against LocalStack, on machines with Docker (skipped elsewhere,
 * where DynamoDB Local and moto_server cover the same code): only the endpoint changes.
 */
@Testcontainers(disabledWithoutDocker = true)
class LocalStackTest {
  @Container
  static final LocalStackContainer LOCALSTACK = new LocalStackContainer(DockerImageName.parse("localstack/localstack:3.8"))
      .withServices("dynamodb", "kms");

  @Test
  void storeAndKeyWrapperWorkAgainstLocalStack() {
    final URI endpoint = LOCALSTACK.getEndpoint();
    final StaticCredentialsProvider credentials = StaticCredentialsProvider.create(
        AwsBasicCredentials.create(LOCALSTACK.getAccessKey(), LOCALSTACK.getSecretKey()));
    try (DynamoDbClient dynamo = DynamoDbClient.builder().endpointOverride(endpoint).credentialsProvider(credentials)
            .region(Region.of(LOCALSTACK.getRegion())).httpClient(UrlConnectionHttpClient.create()).build();
        KmsClient kms = KmsClient.builder().endpointOverride(endpoint).credentialsProvider(credentials)
            .region(Region.of(LOCALSTACK.getRegion())).httpClient(UrlConnectionHttpClient.create()).build()) {
      TableSchema.createIfAbsent(dynamo, "mandate");
      final DynamoStore store = DynamoStore.builder().client(dynamo).tableName("mandate").build();
      store.create(Item.of("app1", "wallet", "w1", "{\"id\":\"w1\"}"));
      assertThat(store.get("app1", "wallet", "w1")).isPresent();

      final KmsKeyWrapper wrapper = KmsKeyWrapper.builder().kmsClient(kms).keyId(KmsAdmin.ensureKey(kms, "alias/mandate-ls")).build();
      final byte[] secret = new byte[32];
      secret[0] = 7;
      final WrappedKey wrapped = wrapper.wrap(secret, KeyContext.walletKey("app1", "w1"));
      assertThat(wrapper.unwrap(wrapped, KeyContext.walletKey("app1", "w1"))).isEqualTo(secret);
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> wrapper.unwrap(wrapped, KeyContext.walletKey("app1", "w2")))
          .isInstanceOf(dev.mandate.enclave.keys.KeyUnwrapException.class);
    }
  }
}
