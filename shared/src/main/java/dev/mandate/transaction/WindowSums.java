package dev.mandate.transaction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.api.ApiException;
import dev.mandate.api.Json;
import dev.mandate.api.Log;
import dev.mandate.enclave.Ids;
import dev.mandate.enclave.policy.Aggregation;
import dev.mandate.enclave.policy.EvaluationContext;
import dev.mandate.enclave.protocol.Execute;
import dev.mandate.enclave.records.ConditionSetRecord;
import dev.mandate.enclave.records.Docs;
import dev.mandate.signing.RecordRef;
import dev.mandate.store.ConcurrentUpdateException;
import dev.mandate.store.Item;
import dev.mandate.store.ItemExistsException;
import dev.mandate.store.ItemNotFoundException;
import dev.mandate.store.Page;
import dev.mandate.store.Store;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a wallet has already spent within its aggregations' rolling windows, for the enclave's
 * policy check ({@code reference} conditions on {@code aggregation.<id>}). The enclave adds the
 * current request's own contribution; this class supplies the sum before it.
 *
 * <p>Each counted request is kept with the caller's own request body, so a past request is metered
 * exactly as the enclave meters the current one: the aggregation's method, its conditions, its
 * metric (transaction {@code value} or a calldata parameter) and its {@code group_by} (only requests
 * of the current request's group count). {@code eth_sendTransaction} requests are the wallet's
 * transaction records (a transaction that ended {@code failed} no longer counts);
 * {@code eth_signTransaction} requests are recorded here, after they were signed, whenever a policy
 * that refers to an aggregation of that method judged them.
 *
 * <p>Metered requests of one wallet run one at a time ({@link #lease}): otherwise two requests racing
 * each other would each see the sum without the other and could together pass a cap.
 *
 * <p>The host computes these sums and the enclave trusts them (see docs/security.md): the enclave
 * keeps no state of its own to check them against, so a host that lies can make a cap look unspent.
 */
final class WindowSums {
  /** eth_signTransaction requests that an aggregation counts; ids {@code <wallet>.<ms>.<random>}. */
  static final String SIGNED_KIND = "signed_transaction";
  /** Records read per page, and the most a window may hold before Mandate refuses to guess. */
  static final int PAGE = 1_000;
  static final int MAX_RECORDS = 10_000;

  /** The per-wallet lease that serialises metered requests; ids are wallet ids. */
  static final String LEASE_KIND = "metering_lease";
  /** How long a lease lives if its holder dies; longer than a send's chain calls take. */
  static final Duration LEASE_TTL = Duration.ofSeconds(60);
  static final Duration DEFAULT_MAX_WAIT = Duration.ofSeconds(10);
  private static final long POLL_MILLIS = 20;

  private final Store store;
  private final Clock clock;
  private final Duration maxWait;

  WindowSums(final Store store, final Clock clock) {
    this(store, clock, DEFAULT_MAX_WAIT);
  }

  WindowSums(final Store store, final Clock clock, final Duration maxWait) {
    this.store = store;
    this.clock = clock;
    this.maxWait = maxWait;
  }

  /** A held lease; closing releases it (if it is still ours). */
  interface Lease extends AutoCloseable {
    @Override
    void close();
  }

  /**
   * Waits (at most {@code maxWait}) until no other metered request of this wallet is in flight, and
   * holds the wallet until the lease is closed, i.e. until this request's sums are read, it is
   * signed and it is recorded.
   *
   * @throws ApiException 503 {@code wallet_busy} if the wallet stays busy; nothing was signed
   */
  Lease lease(final String appId, final String walletId) {
    final String token = Ids.mint();
    final long deadline = System.nanoTime() + maxWait.toNanos();
    while (true) {
      try {
        store.create(Item.of(appId, LEASE_KIND, walletId, Json.object().put("token", token).toString())
            .withExpiresAt(clock.instant().plus(LEASE_TTL)));
        return () -> release(appId, walletId, token);
      } catch (ItemExistsException busy) {
        if (System.nanoTime() > deadline) {
          throw new ApiException(503, "wallet_busy", "Another request of this wallet is being checked against its"
              + " spending limits; it is safe to retry.");
        }
        sleep();
      }
    }
  }

  private void release(final String appId, final String walletId, final String token) {
    try {
      store.get(appId, LEASE_KIND, walletId)
          .filter(item -> token.equals(Json.parseStored(item.doc()).path("token").asText()))
          .ifPresent(item -> store.delete(appId, LEASE_KIND, walletId, item.version()));
    } catch (ConcurrentUpdateException | ItemNotFoundException gone) {
      // Expired and taken (or released) by another request meanwhile: nothing of ours is left.
    } catch (RuntimeException e) {
      // The request itself is done; the lease expires on its own. Say so: until then the wallet's
      // metered requests wait.
      Log.warn("metering_lease_not_released", "wallet", walletId, "error", e.getClass().getSimpleName());
    }
  }

  private static void sleep() {
    try {
      Thread.sleep(POLL_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ApiException(503, "wallet_busy", "Interrupted while waiting for the wallet; it is safe to retry.");
    }
  }

  /** The aggregations among the records the enclave is about to see. */
  static List<Aggregation> aggregations(final Map<RecordRef, Item> loaded) {
    return loaded.entrySet().stream()
        .filter(e -> e.getKey().kind().equals(RecordRef.AGGREGATION))
        .map(e -> Aggregation.fromDoc(Docs.parse(e.getValue().doc())))
        .toList();
  }

  /** The condition sets among the loaded records, for aggregation conditions that name them. */
  static Map<String, List<String>> conditionSets(final Map<RecordRef, Item> loaded) {
    final Map<String, List<String>> sets = new HashMap<>();
    loaded.forEach((ref, item) -> {
      if (ref.kind().equals(RecordRef.CONDITION_SET)) {
        sets.put(ref.id(), ConditionSetRecord.fromDoc(item.doc()).values());
      }
    });
    return sets;
  }

  /**
   * For each aggregation: {@code aggregate.<id>} → the sum of what the wallet's earlier requests in
   * its group added within its window (decimal).
   *
   * @throws ApiException 503 when a window holds more than {@value #MAX_RECORDS} requests: a sum
   *     over part of them could let a capped request through
   */
  Map<String, String> before(final String appId, final String walletId, final List<Aggregation> aggregations,
      final Map<String, List<String>> conditionSets, final JsonNode request) {
    final Map<String, String> sums = new HashMap<>();
    final long now = clock.millis();
    final Map<String, List<Counted>> byMethod = new HashMap<>();
    for (final Aggregation aggregation : aggregations) {
      final long since = now - aggregation.windowSeconds() * 1000L;
      final List<String> group = aggregation.groupKey(request);
      BigInteger sum = BigInteger.ZERO;
      for (final Counted past : byMethod.computeIfAbsent(aggregation.method(),
          m -> read(appId, walletId, m, now - maxWindowMillis(aggregations)))) {
        if (past.at() >= since && aggregation.groupKey(past.request()).equals(group)) {
          sum = sum.add(aggregation.contribution(aggregation.method(), past.request(),
              EvaluationContext.of(Instant.ofEpochMilli(past.at()), conditionSets, Map.of())));
        }
      }
      sums.put(Execute.AGGREGATE_PREFIX + aggregation.id(), sum.toString());
    }
    return sums;
  }

  /** Remembers a signed eth_signTransaction request if an aggregation of that method judged it. */
  void recordSigned(final String appId, final String walletId, final List<Aggregation> aggregations,
      final JsonNode request) {
    final String method = request.path("method").asText();
    if (aggregations.stream().noneMatch(a -> a.method().equals(method))) {
      return;
    }
    final long now = clock.millis();
    final ObjectNode doc = Json.object().put("method", method).put("created_at", now);
    doc.set("request", request);
    store.create(Item.of(appId, SIGNED_KIND, TransactionService.transactionId(walletId, now), doc.toString())
        .withExpiresAt(Instant.ofEpochMilli(now).plus(Duration.ofSeconds(Aggregation.MAX_WINDOW_SECONDS))));
  }

  private record Counted(long at, JsonNode request) {
  }

  private static long maxWindowMillis(final List<Aggregation> aggregations) {
    return aggregations.stream().mapToLong(Aggregation::windowSeconds).max().orElse(0) * 1000L;
  }

  /** The wallet's counted requests of {@code method} made at or after {@code since} (ms). */
  private List<Counted> read(final String appId, final String walletId, final String method, final long since) {
    final String kind = "eth_sendTransaction".equals(method) ? TransactionService.KIND : SIGNED_KIND;
    final String prefix = walletId + ".";
    final List<Counted> counted = new ArrayList<>();
    Page page = store.listByIdPrefixAfter(appId, kind, prefix, prefix + String.format("%013d", Math.max(0, since)), PAGE);
    int read = 0;
    while (true) {
      for (final Item item : page.items()) {
        final JsonNode doc = Json.parseStored(item.doc());
        if (method.equals(doc.path("method").asText()) && !"failed".equals(doc.path("status").asText())) {
          counted.add(new Counted(doc.path("created_at").asLong(), request(doc)));
        }
      }
      read += page.items().size();
      if (page.nextCursor().isEmpty()) {
        return counted;
      }
      if (read >= MAX_RECORDS) {
        throw new ApiException(503, "aggregation_window_too_large", "The wallet made more than " + MAX_RECORDS
            + " " + method + " requests within an aggregation's window; Mandate will not sign against a partial sum.");
      }
      page = store.listByIdPrefix(appId, kind, prefix, page.nextCursor(), PAGE);
    }
  }

  /** The request as the caller sent it; records written before it was kept carry only the value. */
  private static JsonNode request(final JsonNode doc) {
    if (doc.path("request").isObject()) {
      return doc.get("request");
    }
    final ObjectNode legacy = Json.object().put("method", doc.path("method").asText());
    legacy.putObject("params").putObject("transaction").put("value", doc.path("value").asText("0"));
    return legacy;
  }
}
