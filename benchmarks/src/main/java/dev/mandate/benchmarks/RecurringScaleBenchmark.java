package dev.mandate.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mandate.Mandate;
import dev.mandate.api.ApiRequest;
import dev.mandate.api.ApiResponse;
import dev.mandate.api.Json;
import dev.mandate.enclave.Enclave;
import dev.mandate.enclave.keys.DevKeyWrapper;
import dev.mandate.recurring.RecurringActionService;
import dev.mandate.signing.PublicUrl;
import dev.mandate.store.DynamoStore;
import dev.mandate.store.Page;
import dev.mandate.store.TableSchema;
import dev.mandate.testkit.AwsTestClients;
import dev.mandate.testkit.DynamoDbLocal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Scale run of recurring actions on the local runner's parts: DynamoDB Local in process, the
 * in-process enclave (dev key wrapper), the in-process run queue and worker pool. Creates N actions
 * (on 100 ownerless wallets, signing a message) that all fall due at the same instant (the top of an
 * hour, {@code cron(0 * * * ? *)}), moves the clock there, and measures one scheduler tick until
 * every run has run: wall time, runs/s, and DynamoDB calls per run by operation (counted by an SDK
 * {@link ExecutionInterceptor} on the store's client). Then checks each action ran exactly once.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar dev.mandate.benchmarks.RecurringScaleBenchmark 1000 10000</pre>
 * Workers: {@code -DMANDATE_RUN_WORKERS=8} (default).
 */
public final class RecurringScaleBenchmark {
  private static final String APP = "scaleapp0000000000000001";
  private static final String SECRET = "privy_app_secret_scale";
  private static final int WALLETS = 100;
  private static final String REQUEST = "{\"method\":\"personal_sign\",\"params\":{\"message\":\"scale\",\"encoding\":\"utf-8\"}}";

  private RecurringScaleBenchmark() {}

  /** Counts DynamoDB calls by operation name. */
  static final class CallCounter implements ExecutionInterceptor {
    final Map<String, LongAdder> calls = new ConcurrentHashMap<>();

    @Override
    public void beforeExecution(final Context.BeforeExecution context, final ExecutionAttributes attributes) {
      calls.computeIfAbsent(attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME), k -> new LongAdder()).increment();
    }

    Map<String, Long> snapshotAndReset() {
      final Map<String, Long> out = new TreeMap<>();
      calls.forEach((op, n) -> out.put(op, n.sumThenReset()));
      out.values().removeIf(n -> n == 0);
      return out;
    }
  }

  /** The system clock plus an offset the run can move. */
  static final class ShiftedClock extends Clock {
    final AtomicLong offsetMillis = new AtomicLong();

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(final ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return Instant.now().plusMillis(offsetMillis.get());
    }
  }

  public static void main(final String[] args) throws Exception {
    final List<Integer> sizes = new ArrayList<>();
    for (final String arg : args.length == 0 ? new String[] {"1000"} : args) {
      sizes.add(Integer.parseInt(arg));
    }
    System.out.printf("workers=%s cores=%d%n", System.getProperty("MANDATE_RUN_WORKERS", "8 (default)"),
        Runtime.getRuntime().availableProcessors());
    for (final int n : sizes) {
      run(n);
    }
    System.exit(0);
  }

  private static void run(final int n) throws Exception {
    try (DynamoDbLocal dynamo = DynamoDbLocal.start()) {
      final CallCounter counter = new CallCounter();
      final DynamoDbClient client = AwsTestClients.configure(DynamoDbClient.builder()
          .overrideConfiguration(c -> c.addExecutionInterceptor(counter)), dynamo.endpoint());
      TableSchema.createIfAbsent(client, "mandate");
      final ShiftedClock clock = new ShiftedClock();
      final DynamoStore store = DynamoStore.builder().client(client).tableName("mandate").clock(clock).build();
      final Path dir = Files.createTempDirectory("mandate-scale");
      final DevKeyWrapper keys = DevKeyWrapper.builder().keyFile(dir.resolve("dev.key")).build();
      final Mandate mandate = Mandate.create(store, store.idempotency(), new Enclave(keys, clock)::handle,
          new PublicUrl(Optional.of("http://127.0.0.1:8080")), clock);
      mandate.apps().ensureApp(APP, SECRET);

      final long createStart = System.nanoTime();
      final List<String> wallets = new ArrayList<>();
      for (int i = 0; i < WALLETS; i++) {
        wallets.add(ok(mandate.walletsApi().handle(request("POST", "/v1/wallets", "{\"chain_type\":\"ethereum\"}"))).path("id").asText());
      }
      final List<String> actions = createActions(mandate, wallets, n);
      final double createSeconds = (System.nanoTime() - createStart) / 1e9;

      // Every action is due at the next top of the hour: move the clock there.
      final Instant due = Instant.now().truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
      clock.offsetMillis.set(Duration.between(Instant.now(), due).toMillis() + 1000);
      counter.snapshotAndReset();
      final long start = System.nanoTime();
      final int sent = mandate.recurringRunner().runDue();
      final double seconds = (System.nanoTime() - start) / 1e9;
      final Map<String, Long> calls = counter.snapshotAndReset();
      final long total = calls.values().stream().mapToLong(Long::longValue).sum();

      final long emptyStart = System.nanoTime();
      mandate.recurringRunner().runDue();
      final double emptySeconds = (System.nanoTime() - emptyStart) / 1e9;
      final Map<String, Long> emptyCalls = counter.snapshotAndReset();

      System.out.printf("N=%d created in %.1f s; tick sent %d; all ran in %.2f s = %.0f runs/s%n",
          n, createSeconds, sent, seconds, n / seconds);
      System.out.printf("  DynamoDB calls: %d = %.2f per run; by operation per run: %s%n", total, (double) total / n,
          perRun(calls, n));
      System.out.printf("  a tick with nothing due: %.3f s, calls %s%n", emptySeconds, emptyCalls);
      System.out.printf("  exactly once (one run, succeeded): %d/%d%n", countRunOnce(store, actions), n);
      client.close();
    }
  }

  private static List<String> createActions(final Mandate mandate, final List<String> wallets, final int n) throws Exception {
    final ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      final List<Future<String>> futures = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        final String wallet = wallets.get(i % wallets.size());
        futures.add(pool.submit(() -> ok(mandate.recurringApi().handle(request("POST", "/v1/recurring_actions",
            "{\"wallet_id\":\"" + wallet + "\",\"schedule\":\"cron(0 * * * ? *)\",\"request\":" + REQUEST + "}")))
            .path("id").asText()));
      }
      final List<String> ids = new ArrayList<>();
      for (final Future<String> f : futures) {
        ids.add(f.get());
      }
      return ids;
    } finally {
      pool.shutdown();
    }
  }

  /** Actions with exactly one run, and that run succeeded: one paged read of every run record. */
  private static int countRunOnce(final DynamoStore store, final List<String> actions) {
    final Map<String, Integer> succeeded = new java.util.HashMap<>();
    final Map<String, Integer> all = new java.util.HashMap<>();
    Optional<String> cursor = Optional.empty();
    do {
      final Page page = store.list(APP, RecurringActionService.RUN_KIND, cursor, 1000, Map.of());
      page.items().forEach(item -> {
        final JsonNode run = Json.parseStored(item.doc());
        all.merge(run.path("action_id").asText(), 1, Integer::sum);
        if ("succeeded".equals(run.path("outcome").asText())) {
          succeeded.merge(run.path("action_id").asText(), 1, Integer::sum);
        }
      });
      cursor = page.nextCursor();
    } while (cursor.isPresent());
    return (int) actions.stream().filter(a -> all.getOrDefault(a, 0) == 1 && succeeded.getOrDefault(a, 0) == 1).count();
  }

  private static String perRun(final Map<String, Long> calls, final int n) {
    final StringBuilder out = new StringBuilder();
    calls.forEach((op, count) -> out.append(out.length() == 0 ? "" : ", ").append(op).append(' ')
        .append(String.format("%.2f", (double) count / n)));
    return out.toString();
  }

  private static ApiRequest request(final String method, final String path, final String body) {
    return new ApiRequest(method, path, Map.of("privy-app-id", APP, "content-type", "application/json", "authorization",
        "Basic " + Base64.getEncoder().encodeToString((APP + ":" + SECRET).getBytes(StandardCharsets.UTF_8))),
        Map.of(), Optional.ofNullable(body), Optional.of("127.0.0.1"));
  }

  private static JsonNode ok(final ApiResponse response) {
    if (response.status() != 200) {
      throw new IllegalStateException(response.status() + " " + response.body());
    }
    return Json.parseStored(response.body());
  }
}
