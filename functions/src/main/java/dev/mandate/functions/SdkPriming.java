package dev.mandate.functions;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Runs the AWS SDK's request path once at init, offline: a throwaway DynamoDB and KMS client whose
 * HTTP client answers from memory, so marshalling, request signing, endpoint resolution and
 * unmarshalling of the calls a signature makes (BatchGetItem, Decrypt) are loaded before the first
 * request rather than during it. Nothing leaves the process; the credentials are a placeholder.
 *
 * <p>Only for an on-demand init. The SDK draws a random invocation id per call, and before a SnapStart
 * snapshot nothing random is made ({@link HttpApiHandler#beforeCheckpoint}), so there it is skipped.
 */
final class SdkPriming {
  /** Set by Lambda to {@code snap-start} when the init runs to take a snapshot. */
  static final String INITIALIZATION_TYPE = "AWS_LAMBDA_INITIALIZATION_TYPE";

  private SdkPriming() {}

  /** Whether this init may prime the SDK: not when it runs for a SnapStart snapshot. */
  static boolean allowed(final Map<String, String> environment) {
    return !"snap-start".equals(environment.get(INITIALIZATION_TYPE));
  }

  /** Best effort: a failure here (no region configured, an SDK change) only leaves the work to the first call. */
  static void prime() {
    final StaticCredentialsProvider placeholder = StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming"));
    // A region given, not looked up: the SDK's default chain ends at the EC2 metadata service (a real
    // request, seconds of init off Lambda, where AWS_REGION is always set).
    final Region region = Region.of(Optional.ofNullable(System.getenv("AWS_REGION")).filter(r -> !r.isBlank()).orElse("us-east-1"));
    try (DynamoDbClient dynamo = DynamoDbClient.builder().credentialsProvider(placeholder).region(region)
        .httpClient(new Canned("{\"Responses\":{\"priming\":[]},\"UnprocessedKeys\":{}}")).build()) {
      dynamo.batchGetItem(b -> b.requestItems(Map.of("priming", KeysAndAttributes.builder().consistentRead(true)
          .keys(Map.of("pk", AttributeValue.fromS("priming"), "sk", AttributeValue.fromS("priming"))).build())));
    } catch (RuntimeException e) {
      // left to the first request
    }
    try (KmsClient kms = KmsClient.builder().credentialsProvider(placeholder).region(region)
        .httpClient(new Canned("{\"KeyId\":\"priming\",\"Plaintext\":\"AA==\"}")).build()) {
      kms.decrypt(b -> b.ciphertextBlob(SdkBytes.fromByteArray(new byte[] {0})).encryptionContext(Map.of("priming", "priming")));
    } catch (RuntimeException e) {
      // left to the first request
    }
  }

  /** An HTTP client that never connects: every request is answered 200 with one fixed JSON body. */
  private static final class Canned implements SdkHttpClient {
    private final byte[] body;

    Canned(final String body) {
      this.body = body.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public ExecutableHttpRequest prepareRequest(final HttpExecuteRequest request) {
      return new ExecutableHttpRequest() {
        @Override
        public HttpExecuteResponse call() {
          request.contentStreamProvider().ifPresent(body -> drain(body.newStream()));
          return HttpExecuteResponse.builder()
              .response(SdkHttpResponse.builder().statusCode(200)
                  .putHeader("Content-Type", "application/x-amz-json-1.1")
                  .putHeader("Content-Length", String.valueOf(body.length)).build())
              .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body)))
              .build();
        }

        @Override
        public void abort() {
          // nothing in flight
        }
      };
    }

    private static void drain(final InputStream in) {
      try (in) {
        in.transferTo(java.io.OutputStream.nullOutputStream());
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    @Override
    public void close() {
      // nothing held
    }
  }
}
