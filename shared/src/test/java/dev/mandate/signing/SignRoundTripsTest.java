package dev.mandate.signing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mandate.Mandate;
import dev.mandate.api.Api;
import dev.mandate.api.ApiRequest;
import dev.mandate.api.ApiResponse;
import dev.mandate.api.Json;
import dev.mandate.enclave.Enclave;
import dev.mandate.enclave.keys.DevKeyWrapper;
import dev.mandate.store.DynamoStore;
import dev.mandate.store.TableSchema;
import dev.mandate.testkit.AwsTestClients;
import dev.mandate.testkit.DynamoDbLocal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Counts DynamoDB round trips (API calls, by an SDK interceptor) per signature on the real store
 * against DynamoDB Local: the figures in docs/benchmarks.md. Anchoring reads each item and its
 * anchor in one BatchGetItem and writes both in one TransactWriteItems, so it adds no round trip.
 */
class SignRoundTripsTest {
  private static final String APP = "roundtripapp000000000001";
  private static final String SECRET = "privy_app_secret_round_trips";
  private static final String BODY = "{\"method\":\"personal_sign\",\"params\":{\"message\":\"count\",\"encoding\":\"utf-8\"}}";
  private static final Map<String, AtomicInteger> CALLS = new ConcurrentHashMap<>();
  private static DynamoDbLocal dynamoDb;
  private static DynamoDbClient client;
  private static Path keyDir;

  @BeforeAll
  static void start() throws Exception {
    dynamoDb = DynamoDbLocal.start();
    client = AwsTestClients.configure(DynamoDbClient.builder().overrideConfiguration(c -> c.addExecutionInterceptor(
        new ExecutionInterceptor() {
          @Override
          public void beforeTransmission(final Context.BeforeTransmission context, final ExecutionAttributes attributes) {
            CALLS.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), n -> new AtomicInteger())
                .incrementAndGet();
          }
        })), dynamoDb.endpoint());
    TableSchema.createIfAbsent(client, "roundtrips");
    keyDir = Files.createTempDirectory("mandate-roundtrips");
  }

  @AfterAll
  static void stop() {
    client.close();
    dynamoDb.close();
  }

  @Test
  void aWarmSignatureOnAnOwnerlessWalletIsOneRoundTrip() {
    final DevKeyWrapper wrapper = DevKeyWrapper.builder().keyFile(keyDir.resolve("dev.key")).build();
    final DynamoStore store = DynamoStore.builder().client(client).tableName("roundtrips").build();
    final Mandate mandate = Mandate.create(store, store.idempotency(), new Enclave(wrapper)::handle, wrapper,
        new PublicUrl(Optional.of("http://127.0.0.1:8080")), Clock.systemUTC());
    mandate.apps().ensureApp(APP, SECRET);
    final ApiResponse created = mandate.walletsApi().handle(request("POST", "/v1/wallets", "{\"chain_type\":\"ethereum\"}"));
    assertThat(created.status()).isEqualTo(200);
    final String wallet = Json.parseStored(created.body()).path("id").asText();
    final ApiRequest rpc = request("POST", "/v1/wallets/" + wallet + "/rpc", BODY);
    // A fresh process (cold app-secret cache, seal key not yet unwrapped) over the same table.
    final Api fresh = Mandate.create(store, store.idempotency(), new Enclave(wrapper)::handle, wrapper,
        new PublicUrl(Optional.of("http://127.0.0.1:8080")), Clock.systemUTC()).signApi();

    final Map<String, Integer> cold = count(() -> assertThat(fresh.handle(rpc).status()).isEqualTo(200));
    final Map<String, Integer> warm = count(() -> assertThat(fresh.handle(rpc).status()).isEqualTo(200));

    System.out.println("round trips per signature (ownerless wallet, first request of a process): " + cold);
    System.out.println("round trips per signature (ownerless wallet, warm process): " + warm);
    // Every read is a BatchGetItem of items and their anchors, never a GetItem plus a second
    // look-up; the wallet is read once and its closure predicted from the last load, so a warm
    // signature is one call (before anchoring: 2 GetItem). The sealed app record the enclave checks
    // the secret against is cached like the host's own check (60 s).
    assertThat(warm).doesNotContainKeys("GetItem", "PutItem", "DeleteItem", "UpdateItem");
    assertThat(total(warm)).isLessThanOrEqualTo(total(cold)).isEqualTo(1);
  }

  private static Map<String, Integer> count(final Runnable action) {
    CALLS.clear();
    action.run();
    final Map<String, Integer> counted = new TreeMap<>();
    CALLS.forEach((name, n) -> counted.put(name, n.get()));
    return counted;
  }

  private static int total(final Map<String, Integer> calls) {
    return calls.values().stream().mapToInt(Integer::intValue).sum();
  }

  private static ApiRequest request(final String method, final String path, final String body) {
    final Map<String, String> headers = new HashMap<>();
    headers.put("privy-app-id", APP);
    headers.put("authorization", "Basic " + Base64.getEncoder().encodeToString((APP + ":" + SECRET).getBytes(StandardCharsets.UTF_8)));
    headers.put("content-type", "application/json");
    return new ApiRequest(method, path, headers, Map.of(), Optional.of(body), Optional.of("127.0.0.1"));
  }
}
