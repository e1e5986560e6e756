package dev.mandate.e2e;

import static dev.mandate.e2e.MandateHttp.ok200;
import static dev.mandate.e2e.MandateHttp.rpc;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mandate.enclave.keys.KmsAdmin;
import dev.mandate.testkit.AwsTestClients;
import dev.mandate.testkit.DynamoDbLocal;
import dev.mandate.testkit.MotoServer;
import dev.mandate.testkit.TcpProxy;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * Bounded, honest failures: a runner of its own (a child JVM with the default timeouts and budget),
 * DynamoDB Local behind a {@link TcpProxy} the test pauses and stops, KMS on a moto it freezes
 * (SIGSTOP) and kills. Whatever the outage, a request answers 503 {@code {error, code}} with
 * {@code Retry-After} within a few seconds, never hangs or reads as a 500, and every wallet that
 * exists afterwards is whole (it signs). A JSON-RPC node that never answers is bounded by its own
 * timeout: 503 {@code chain_unavailable}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DependencyFaultTest {
  /** The default budget is 3 s per AWS call; a request fails at its first call that runs out. */
  private static final Duration PROMPT = Duration.ofSeconds(8);
  private static final Duration CLIENT_GIVES_UP = Duration.ofSeconds(30);
  private static final String APP_ID = "faultapp0000000000000001";
  private static final String APP_SECRET = "privy_app_secret_fault_0123456789abcdefghijk";
  private static final String MESSAGE = "{\"method\":\"personal_sign\",\"params\":{\"message\":\"hi\",\"encoding\":\"utf-8\"}}";
  private static final String CREATE = "{\"chain_type\":\"ethereum\"}";

  private static DynamoDbLocal dynamoDb;
  private static TcpProxy dynamoDbProxy;
  /** A JSON-RPC "node" that accepts connections and never answers (a proxy to moto, kept paused). */
  private static TcpProxy hungNode;
  private static final long HUNG_CHAIN_ID = 424242;
  private static MotoServer moto;
  private static Process runner;
  private static Path runnerLog;
  private static MandateHttp api;
  private static String hotWallet;

  @BeforeAll
  static void startRunner() throws Exception {
    dynamoDb = DynamoDbLocal.start();
    dynamoDbProxy = TcpProxy.to(dynamoDb.endpoint());
    moto = MotoServer.start();
    hungNode = TcpProxy.to(moto.endpoint());
    hungNode.pause();
    final String keyId;
    try (KmsClient kms = AwsTestClients.configure(KmsClient.builder(), moto.endpoint())) {
      keyId = KmsAdmin.ensureKey(kms, "alias/mandate-fault");
    }
    final Path root = Path.of(System.getProperty("mandate.repoRoot", "..")).toAbsolutePath().normalize();
    runnerLog = Files.createTempFile("mandate-fault-runner", ".log");
    final List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx384m",
        "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
        "-DPORT=0", "-DMANDATE_TEMPLATE=" + root.resolve("template.yaml"),
        "-DMANDATE_KEY_WRAPPER=kms", "-DMANDATE_KMS_KEY_ID=" + keyId,
        "-DMANDATE_DEV_APP_ID=" + APP_ID, "-DMANDATE_DEV_APP_SECRET=" + APP_SECRET,
        "-DMANDATE_SCHEDULER_TICK_MS=0",
        "-DMANDATE_RPC_URL_EIP155_" + HUNG_CHAIN_ID + "=" + hungNode.endpoint(),
        "-DMANDATE_DEV_MASTER_KEY_FILE=" + Files.createTempDirectory("mandate-fault").resolve("dev.key"),
        "dev.mandate.local.Main", "serve"));
    final ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    // DynamoDB through the proxy, KMS at moto: the SDK's own endpoint settings, as on a developer's machine.
    builder.environment().put("AWS_ENDPOINT_URL", dynamoDbProxy.endpoint().toString());
    builder.environment().put("AWS_ENDPOINT_URL_KMS", moto.endpoint().toString());
    runner = builder.start();
    api = new MandateHttp(awaitListening(), APP_ID, APP_SECRET);
    hotWallet = created(api.post("/v1/wallets", CREATE));
    ok200(api.post(rpc(hotWallet), MESSAGE));
  }

  @AfterAll
  static void stopAll() throws IOException {
    if (runner != null) {
      runner.destroy();
    }
    dynamoDbProxy.close();
    hungNode.close();
    moto.close();
    dynamoDb.close();
    Files.deleteIfExists(runnerLog);
  }

  @Test
  @Order(1)
  void aHungDynamoDbAnswers503WithRetryAfterWithinSeconds() {
    dynamoDbProxy.pause();
    try {
      assertPromptlyUnavailable(() -> api.post(rpc(hotWallet), MESSAGE));
      assertPromptlyUnavailable(() -> api.get("/v1/wallets/" + hotWallet));
      assertPromptlyUnavailable(() -> api.post("/v1/wallets", CREATE));
    } finally {
      dynamoDbProxy.resume();
    }
    ok200(api.post(rpc(hotWallet), MESSAGE));
  }

  @Test
  @Order(2)
  void aGoneDynamoDbAnswers503AndRecovers() {
    dynamoDbProxy.stop();
    try {
      assertPromptlyUnavailable(() -> api.post(rpc(hotWallet), MESSAGE));
      assertPromptlyUnavailable(() -> api.post("/v1/wallets", CREATE));
    } finally {
      dynamoDbProxy.start();
    }
    ok200(api.post(rpc(hotWallet), MESSAGE));
    final String after = created(api.post("/v1/wallets", CREATE));
    ok200(api.post(rpc(after), MESSAGE));
  }

  @Test
  @Order(3)
  void aHungKmsFailsCreationPromptlyWhileAHotWalletStillSigns() {
    moto.pause();
    try {
      assertPromptlyUnavailable(() -> api.post("/v1/wallets", CREATE));
      // The data key cache: a hot wallet needs no KMS call to sign.
      ok200(api.post(rpc(hotWallet), MESSAGE));
    } finally {
      moto.resume();
    }
    final String after = created(api.post("/v1/wallets", CREATE));
    ok200(api.post(rpc(after), MESSAGE));
  }

  @Test
  @Order(4)
  void aHungChainNodeAnswers503WithRetryAfterWithinItsTimeout() {
    final String send = "{\"method\":\"eth_sendTransaction\",\"caip2\":\"eip155:" + HUNG_CHAIN_ID + "\","
        + "\"params\":{\"transaction\":{\"to\":\"0x1111111111111111111111111111111111111111\",\"value\":\"0x1\"}}}";
    final long start = System.nanoTime();
    final MandateHttp.Response response = assertTimeoutPreemptively(CLIENT_GIVES_UP, () -> api.post(rpc(hotWallet), send));
    final Duration took = Duration.ofNanos(System.nanoTime() - start);
    System.out.println("fault: " + response.status() + " " + response.code() + " in " + took.toMillis() + " ms");
    assertThat(response.status()).as(response.toString()).isEqualTo(503);
    assertThat(response.code()).isEqualTo("chain_unavailable");
    assertThat(response.header("retry-after")).isPresent();
    // The node timeout (MANDATE_RPC_TIMEOUT_SECONDS, 5 s) bounds it, once per node call made.
    assertThat(took).isLessThan(Duration.ofSeconds(12));
  }

  @Test
  @Order(5)
  void everyWalletThatExistsAfterTheFaultsIsWhole() {
    final JsonNode wallets = ok200(api.get("/v1/wallets?limit=100")).path("data");
    assertThat(wallets.size()).isGreaterThanOrEqualTo(3);
    for (final JsonNode wallet : wallets) {
      final MandateHttp.Response signed = api.post(rpc(wallet.path("id").asText()), MESSAGE);
      assertThat(signed.status()).as(wallet + " -> " + signed).isEqualTo(200);
    }
  }

  @Test
  @Order(6)
  void aGoneKmsAnswers503Promptly() {
    moto.close();
    assertPromptlyUnavailable(() -> api.post("/v1/wallets", CREATE));
    ok200(api.post(rpc(hotWallet), MESSAGE));
  }

  private static void assertPromptlyUnavailable(final Supplier<MandateHttp.Response> request) {
    final long start = System.nanoTime();
    final MandateHttp.Response response = assertTimeoutPreemptively(CLIENT_GIVES_UP, request::get);
    final Duration took = Duration.ofNanos(System.nanoTime() - start);
    System.out.println("fault: " + response.status() + " " + response.code() + " in " + took.toMillis() + " ms");
    assertThat(response.status()).as(response.toString()).isEqualTo(503);
    assertThat(response.code()).isEqualTo("service_unavailable");
    assertThat(response.error()).isNotBlank();
    assertThat(response.header("retry-after")).as("Retry-After").hasValueSatisfying(v -> assertThat(Integer.parseInt(v)).isPositive());
    assertThat(took).as("answered in " + took).isLessThan(PROMPT);
  }

  private static String awaitListening() throws Exception {
    final Pattern listening = Pattern.compile("listening on (http://\\S+)");
    final CompletableFuture<String> url = new CompletableFuture<>();
    final Thread reader = new Thread(() -> {
      try (BufferedReader out = new BufferedReader(new InputStreamReader(runner.getInputStream(), StandardCharsets.UTF_8))) {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
          Files.writeString(runnerLog, line + "\n", java.nio.file.StandardOpenOption.APPEND);
          final Matcher m = listening.matcher(line);
          if (m.find()) {
            url.complete(m.group(1));
          }
        }
        url.completeExceptionally(new IllegalStateException("runner exited:\n" + Files.readString(runnerLog)));
      } catch (IOException e) {
        url.completeExceptionally(e);
      }
    }, "fault-runner-output");
    reader.setDaemon(true);
    reader.start();
    return url.get(90, TimeUnit.SECONDS);
  }

  private static String created(final MandateHttp.Response response) {
    return ok200(response).path("id").asText();
  }

}
