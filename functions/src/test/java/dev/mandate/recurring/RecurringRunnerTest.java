package dev.mandate.recurring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.Mandate;
import dev.mandate.api.ApiRequest;
import dev.mandate.api.ApiResponse;
import dev.mandate.api.Json;
import dev.mandate.enclave.Enclave;
import dev.mandate.enclave.keys.DevKeyWrapper;
import dev.mandate.signing.PublicUrl;
import dev.mandate.store.InMemoryStore;
import dev.mandate.store.Item;
import dev.mandate.testkit.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tick, the due index and the worker over the whole domain (in-memory store, in-process enclave):
 * exactly once under duplicate deliveries and crashes at the worker's crash points.
 */
class RecurringRunnerTest {
  private static final String APP = "runnerapp000000000000001";
  private static final String SECRET = "privy_app_secret_runner";
  private static final String MESSAGE = "{\"method\":\"personal_sign\",\"params\":{\"message\":\"tick\",\"encoding\":\"utf-8\"}}";
  private static final Duration LEASE = Duration.ofSeconds(30);

  @TempDir
  Path dir;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T12:00:00Z"));
  private final List<DueRun> queued = Collections.synchronizedList(new ArrayList<>());
  private InMemoryStore store;
  private Mandate mandate;
  private RecurringRunner tick;
  private ExecutorService threads;

  /** Crashes the worker at one point, as a killed process would. */
  private static final class Killed extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }

  @BeforeEach
  void setUp() {
    store = InMemoryStore.create(clock);
    final DevKeyWrapper keys = DevKeyWrapper.builder().keyFile(dir.resolve("dev.key")).build();
    mandate = Mandate.create(store, store.idempotency(), new Enclave(keys, clock)::handle,
        new PublicUrl(Optional.of("http://127.0.0.1:8080")), clock);
    mandate.apps().ensureApp(APP, SECRET);
    tick = mandate.recurringRunner(queued::addAll);
    threads = Executors.newFixedThreadPool(6);
  }

  @AfterEach
  void tearDown() {
    threads.shutdownNow();
  }

  @Test
  void everyRunDueInTheSameMinuteRunsExactlyOnceWhenEachIsDeliveredThreeTimesConcurrently() throws Exception {
    final List<String> actions = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      actions.add(action("rate(1 minute)"));
    }
    clock.advance(Duration.ofMinutes(1));
    assertThat(tick.runDue()).isEqualTo(40);
    final RecurringWorker worker = mandate.recurringWorker(WorkerHooks.NONE, LEASE);
    final List<Future<RecurringWorker.Delivery>> deliveries = new ArrayList<>();
    for (int copy = 0; copy < 3; copy++) {
      for (final DueRun run : List.copyOf(queued)) {
        deliveries.add(threads.submit(() -> worker.process(run)));
      }
    }
    for (final Future<RecurringWorker.Delivery> delivery : deliveries) {
      delivery.get();
    }
    // A copy that met a run claimed a moment ago comes back later, as SQS would redeliver it.
    for (final DueRun run : List.copyOf(queued)) {
      assertThat(worker.process(run)).isEqualTo(RecurringWorker.Delivery.DONE);
    }
    for (final String action : actions) {
      final JsonNode runs = runs(action);
      assertThat(runs).as(action).hasSize(1);
      assertThat(runs.get(0).path("outcome").asText()).isEqualTo("succeeded");
      assertThat(runs.get(0).path("result").path("signature").asText()).startsWith("0x");
      assertThat(runs.get(0).has("authorization")).as("the signed request is not shown").isFalse();
      assertThat(get(action).path("runs").asLong()).isEqualTo(1);
    }
    // The spent entries are gone: the same minute ticked again sends nothing; the next minute sends each once.
    queued.clear();
    assertThat(tick.runDue()).isZero();
    clock.advance(Duration.ofMinutes(1));
    assertThat(tick.runDue()).isEqualTo(40);
    assertThat(queued).extracting(DueRun::actionId).containsExactlyInAnyOrderElementsOf(actions);
  }

  @Test
  void aWorkerKilledBetweenClaimAndSubmitIsRetriedAfterTheLeaseAndTheRunCompletesOnce() {
    final String action = action("rate(1 minute)");
    clock.advance(Duration.ofMinutes(1));
    tick.runDue();
    final DueRun run = queued.get(0);
    final RecurringWorker dying = mandate.recurringWorker(new WorkerHooks() {
      @Override
      public void afterClaim(final DueRun due) {
        throw new Killed();
      }
    }, LEASE);
    assertThatThrownBy(() -> dying.process(run)).isInstanceOf(Killed.class);
    assertThat(runs(action).get(0).path("outcome").asText()).isEqualTo("running");

    final RecurringWorker worker = mandate.recurringWorker(WorkerHooks.NONE, LEASE);
    assertThat(worker.process(run)).as("still leased").isEqualTo(RecurringWorker.Delivery.RETRY);
    clock.advance(LEASE.plusSeconds(1));
    assertThat(worker.process(run)).isEqualTo(RecurringWorker.Delivery.DONE);
    assertThat(worker.process(run)).isEqualTo(RecurringWorker.Delivery.DONE);
    final JsonNode runs = runs(action);
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).path("outcome").asText()).isEqualTo("succeeded");
    assertThat(runs.get(0).path("attempts").asInt()).isEqualTo(2);
    assertThat(get(action).path("runs").asLong()).isEqualTo(1);
  }

  @Test
  void aWorkerKilledBetweenSignAndSubmitResubmitsTheSameSignedRequestAndTheEnclaveSignsOnce() {
    final String action = action("rate(1 minute)");
    clock.advance(Duration.ofMinutes(1));
    tick.runDue();
    final DueRun run = queued.get(0);
    final RecurringWorker dying = mandate.recurringWorker(new WorkerHooks() {
      @Override
      public void afterSign(final DueRun due) {
        throw new Killed();
      }
    }, LEASE);
    assertThatThrownBy(() -> dying.process(run)).isInstanceOf(Killed.class);
    // Signed and advanced once: the sealed counters moved, the next time is announced.
    assertThat(get(action).path("runs").asLong()).isEqualTo(1);
    final String authorization = Json.parseStored(runItem(action).doc()).path("authorization").asText();
    assertThat(authorization).isNotEmpty();

    clock.advance(LEASE.plusSeconds(1));
    final RecurringWorker worker = mandate.recurringWorker(WorkerHooks.NONE, LEASE);
    for (int i = 0; i < 3; i++) {
      assertThat(worker.process(run)).isEqualTo(RecurringWorker.Delivery.DONE);
    }
    assertThat(runs(action)).hasSize(1);
    assertThat(runs(action).get(0).path("outcome").asText()).isEqualTo("succeeded");
    assertThat(Json.parseStored(runItem(action).doc()).path("authorization").asText())
        .as("the retry used the signed request, not a new signature").isEqualTo(authorization);
    assertThat(get(action).path("runs").asLong()).isEqualTo(1);
  }

  @Test
  void aForgedIndexEntryForATimeThatIsNotTheSealedNextTimeSignsNothing() {
    final String action = action("rate(1 hour)");
    clock.advance(Duration.ofMinutes(1));
    final long forgedTime = clock.millis() - 1000;
    final DueRun forged = new DueRun(APP, action, forgedTime, "_due.x", "forged");
    assertThat(mandate.recurringWorker().process(forged)).isEqualTo(RecurringWorker.Delivery.DONE);
    assertThat(runs(action)).isEmpty();
    assertThat(get(action).path("runs").asLong()).isZero();
  }

  @Test
  void aMalformedIndexEntryDoesNotStopTheTickForTheOthers() {
    final String action = action("rate(1 minute)");
    clock.advance(Duration.ofMinutes(1));
    store.create(Item.of(DueIndex.partition(clock.millis() / 60_000, 0), DueIndex.KIND, "0000000000000.junk", "[1,2]"));
    store.create(Item.of(DueIndex.partition(clock.millis() / 60_000, 1), DueIndex.KIND, "0000000000000.junk", "{}"));
    assertThat(tick.runDue()).isEqualTo(1);
    assertThat(queued).extracting(DueRun::actionId).containsExactly(action);
  }

  @Test
  void aRunOfAnActionPausedAfterTheTickIsWithdrawnNotRun() {
    final String action = action("rate(1 minute)");
    clock.advance(Duration.ofMinutes(1));
    tick.runDue();
    ok(mandate.recurringApi().handle(request("POST", "/v1/recurring_actions/" + action + "/pause", "")));
    assertThat(mandate.recurringWorker().process(queued.get(0))).isEqualTo(RecurringWorker.Delivery.DONE);
    assertThat(runs(action)).isEmpty();
    assertThat(get(action).path("status").asText()).isEqualTo("paused");
  }

  @Test
  void anActionWhoseSealedRecordWasEditedFailsItsRunAndTheOthersStillRun() {
    final String broken = action("rate(1 minute)");
    final String healthy = action("rate(1 minute)");
    final Item record = store.get(APP, RecurringActionService.KIND, broken).orElseThrow();
    final ObjectNode doc = Json.parseStored(record.doc());
    doc.put("max_runs", 1000);
    store.update(record.withDoc(doc.toString()), record.version());

    clock.advance(Duration.ofMinutes(1));
    tick.runDue();
    queued.forEach(run -> mandate.recurringWorker().process(run));

    final JsonNode failed = runs(broken).get(0);
    assertThat(failed.path("outcome").asText()).isEqualTo("failed");
    assertThat(failed.path("code").asText()).isEqualTo("integrity_check_failed");
    assertThat(runs(healthy).get(0).path("outcome").asText()).isEqualTo("succeeded");
  }

  @Test
  void theInProcessQueueRunsEveryDueRunOnceAndRedeliversAfterACrash() {
    final List<String> actions = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      actions.add(action("rate(1 minute)"));
    }
    final RecurringWorker crashingOnce = mandate.recurringWorker(new WorkerHooks() {
      private final java.util.Set<String> crashed = java.util.concurrent.ConcurrentHashMap.newKeySet();

      @Override
      public void afterSign(final DueRun due) {
        if (crashed.add(due.runId())) {
          throw new Killed();
        }
      }
    }, Duration.ZERO);
    final InProcessRunQueue queue = new InProcessRunQueue(crashingOnce::process, 4, Duration.ofMillis(10), 5);
    clock.advance(Duration.ofMinutes(1));
    assertThat(mandate.recurringRunner(queue).runDue()).isEqualTo(20);
    final long deadline = System.currentTimeMillis() + 10_000;
    while (actions.stream().anyMatch(a -> !runs(a).get(0).path("outcome").asText().equals("succeeded"))
        && System.currentTimeMillis() < deadline) {
      Thread.onSpinWait();
    }
    for (final String action : actions) {
      assertThat(runs(action)).hasSize(1);
      assertThat(runs(action).get(0).path("outcome").asText()).isEqualTo("succeeded");
      assertThat(runs(action).get(0).path("attempts").asInt()).isEqualTo(2);
    }
  }

  @Test
  void badInputGetsAClear4xxAndCreatesNothing() {
    final String wallet = ok(mandate.walletsApi().handle(request("POST", "/v1/wallets", "{\"chain_type\":\"ethereum\"}")))
        .path("id").asText();
    final Map<String, String> cases = Map.of(
        "{\"wallet_id\":\"" + wallet + "\",\"schedule\":\"rate(1 minute)\",\"request\":" + MESSAGE + ",\"x\":1}", "400 invalid_data",
        "{\"wallet_id\":\"nosuchwallet\",\"schedule\":\"rate(1 minute)\",\"request\":" + MESSAGE + "}", "404 not_found",
        "{\"wallet_id\":\"" + wallet + "\",\"schedule\":\"every minute\",\"request\":" + MESSAGE + "}", "400 invalid_data",
        "{\"wallet_id\":\"" + wallet + "\",\"schedule\":\"rate(1 minute)\",\"request\":\"sign\"}", "400 invalid_data",
        "{\"wallet_id\":\"" + wallet + "\",\"schedule\":\"rate(1 minute)\",\"request\":" + MESSAGE + ",\"max_runs\":0}", "400 invalid_data",
        "{\"wallet_id\":7,\"schedule\":\"rate(1 minute)\",\"request\":" + MESSAGE + "}", "400 invalid_data",
        "not json", "400 invalid_data");
    cases.forEach((body, expected) -> {
      final ApiResponse response = mandate.recurringApi().handle(request("POST", "/v1/recurring_actions", body));
      assertThat(response.status() + " " + Json.parseStored(response.body()).path("code").asText()).as(body).isEqualTo(expected);
    });
    assertThat(mandate.recurringApi().handle(request("POST", "/v1/recurring_actions/nosuchaction/pause", "")).status()).isEqualTo(404);
    assertThat(mandate.recurringApi().handle(request("POST", "/v1/recurring_actions/nosuchaction/runs", "{}")).status())
        .as("signing a run is not an API route").isIn(404, 405);
    assertThat(ok(mandate.recurringApi().handle(request("GET", "/v1/recurring_actions", null))).path("data")).isEmpty();
  }

  /** An ownerless wallet (the app's credentials are enough) and an action signing a message on {@code schedule}. */
  private String action(final String schedule) {
    final String wallet = ok(mandate.walletsApi().handle(request("POST", "/v1/wallets", "{\"chain_type\":\"ethereum\"}")))
        .path("id").asText();
    final JsonNode created = ok(mandate.recurringApi().handle(request("POST", "/v1/recurring_actions",
        "{\"wallet_id\":\"" + wallet + "\",\"schedule\":\"" + schedule + "\",\"request\":" + MESSAGE + "}")));
    assertThat(created.has("wrapped_key")).isFalse();
    return created.path("id").asText();
  }

  private Item runItem(final String action) {
    return store.listByIdPrefix(APP, RecurringActionService.RUN_KIND, action + ".", Optional.empty(), 10).items().get(0);
  }

  private JsonNode get(final String action) {
    return ok(mandate.recurringApi().handle(request("GET", "/v1/recurring_actions/" + action, null)));
  }

  private JsonNode runs(final String action) {
    return ok(mandate.recurringApi().handle(request("GET", "/v1/recurring_actions/" + action + "/runs", null))).path("data");
  }

  private static ApiRequest request(final String method, final String path, final String body) {
    final Map<String, String> headers = new HashMap<>();
    headers.put("privy-app-id", APP);
    headers.put("authorization", "Basic " + Base64.getEncoder().encodeToString((APP + ":" + SECRET).getBytes(StandardCharsets.UTF_8)));
    headers.put("content-type", "application/json");
    return new ApiRequest(method, path, headers, Map.of(), Optional.ofNullable(body), Optional.of("127.0.0.1"));
  }

  private static JsonNode ok(final ApiResponse response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return Json.parseStored(response.body());
  }
}
