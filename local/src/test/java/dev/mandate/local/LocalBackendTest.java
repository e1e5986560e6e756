package dev.mandate.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.mandate.Mandate;
import dev.mandate.testkit.AwsTestClients;
import dev.mandate.testkit.MotoServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * {@code serve} as a developer runs it: the repository's template.yaml, the real handler classes,
 * and the real local backends (DynamoDB Local in process; moto for the AWS_ENDPOINT_URL mode).
 */
class LocalBackendTest {
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private Properties saved;

  @TempDir
  Path dir;

  @BeforeEach
  void isolateConfiguration() {
    saved = (Properties) System.getProperties().clone();
    Mandate.reset();
    // Keep the dev master key out of the work tree (the brief's name and the enclave's current one).
    System.setProperty("MANDATE_DEV_MASTER_KEY_FILE", dir.resolve("dev-master.key").toString());
  }

  @AfterEach
  void restoreConfiguration() {
    System.setProperties(saved);
    Mandate.reset();
  }

  private LocalRunner start() {
    return LocalRunner.start(TestTemplates.repositoryTemplate(), 0, new LocalBackend(),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(log, true, StandardCharsets.UTF_8));
  }

  private HttpResponse<String> get(final LocalRunner runner, final String path, final String appId, final String secret)
      throws Exception {
    final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(runner.baseUrl() + path))
        .timeout(Duration.ofSeconds(30)).GET();
    if (appId != null) {
      request.header("privy-app-id", appId).header("Authorization", "Basic "
          + Base64.getEncoder().encodeToString((appId + ":" + secret).getBytes(StandardCharsets.UTF_8)));
    }
    return http.send(request.build(), BodyHandlers.ofString());
  }

  @Test
  void defaultsToDynamoDbLocalTheDevWrapperAndAGeneratedDevApp() throws Exception {
    assumeTrue(System.getenv("AWS_ENDPOINT_URL") == null, "AWS_ENDPOINT_URL is set: the default backend is not used");
    try (LocalRunner runner = start()) {
      final String printed = out.toString(StandardCharsets.UTF_8);
      assertThat(printed).contains("DynamoDB Local").containsPattern("MANDATE_DEV_APP_ID=[a-z0-9]{24}\\n")
          .containsPattern("MANDATE_DEV_APP_SECRET=privy_app_secret_[A-Za-z0-9_-]{43}\\n");
      assertThat(System.getProperty("MANDATE_KEY_WRAPPER")).isEqualTo("dev");
      assertThat(System.getProperty("MANDATE_TABLE_NAME")).isEqualTo("mandate");
      assertThat(System.getProperty("MANDATE_PUBLIC_URL")).isEqualTo("http://127.0.0.1:" + runner.port());
      final String appId = System.getProperty("MANDATE_DEV_APP_ID");
      final String secret = System.getProperty("MANDATE_DEV_APP_SECRET");

      assertThat(get(runner, "/v1/wallets", null, null).statusCode()).isEqualTo(401);
      assertThat(get(runner, "/v1/wallets", appId, "privy_app_secret_wrong").statusCode()).isEqualTo(401);
      assertThat(get(runner, "/v1/wallets", appId, secret).statusCode()).isEqualTo(200);
      assertThat(get(runner, "/api/v1/wallets", appId, secret).statusCode()).isEqualTo(200);
      assertThat(get(runner, "/v1/nothing", appId, secret).statusCode()).isEqualTo(404);
      assertThat(log.toString(StandardCharsets.UTF_8)).doesNotContain(secret);
    }
  }

  @Test
  void withAnEndpointUsesItsDynamoDbAndKms() throws Exception {
    try (MotoServer moto = MotoServer.start()) {
      System.setProperty("aws.endpointUrl", moto.endpoint().toString());
      System.setProperty("MANDATE_TABLE_NAME", "mandate-local-test");
      System.setProperty("MANDATE_DEV_APP_ID", "localtestapp0000000000001");
      System.setProperty("MANDATE_DEV_APP_SECRET", "privy_app_secret_local-test-secret-not-printed");
      try (LocalRunner runner = start()) {
        assertThat(System.getProperty("MANDATE_KEY_WRAPPER")).isEqualTo("kms");
        assertThat(System.getProperty("MANDATE_KMS_KEY_ID")).isNotBlank();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("dev app: localtestapp0000000000001")
            .doesNotContain("local-test-secret-not-printed");
        try (KmsClient kms = AwsTestClients.configure(KmsClient.builder(), moto.endpoint());
             DynamoDbClient dynamo = AwsTestClients.dynamoDb(moto.endpoint())) {
          assertThat(kms.describeKey(r -> r.keyId(LocalBackend.KMS_ALIAS)).keyMetadata().keyId())
              .isEqualTo(System.getProperty("MANDATE_KMS_KEY_ID"));
          assertThat(dynamo.describeTable(r -> r.tableName("mandate-local-test")).table().globalSecondaryIndexes())
              .anySatisfy(index -> assertThat(index.indexName()).isEqualTo("gsi1"));
        }
        assertThat(get(runner, "/v1/wallets", "localtestapp0000000000001",
            "privy_app_secret_local-test-secret-not-printed").statusCode()).isEqualTo(200);
      }
    }
  }
}
