package dev.mandate.transaction;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mandate.api.ApiException;
import dev.mandate.api.Json;
import dev.mandate.enclave.policy.Aggregation;
import dev.mandate.store.InMemoryStore;
import dev.mandate.store.Item;
import dev.mandate.testkit.MutableClock;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Sums over a wallet's earlier requests, read from the store the way the send and sign paths write them. */
class WindowSumsTest {
  private static final String APP = "app0000000000000000000001";
  private static final String WALLET = "walletaaaaaaaaaaaaaaaaaa";
  private static final Instant NOW = Instant.parse("2026-11-22T12:00:00Z");
  private static final String A = "0x1111111111111111111111111111111111111111";
  private static final String B = "0x2222222222222222222222222222222222222222";

  private final InMemoryStore store = InMemoryStore.create(Clock.fixed(NOW, ZoneOffset.UTC));
  private final WindowSums sums = new WindowSums(store, Clock.fixed(NOW, ZoneOffset.UTC));

  private static Aggregation aggregation(final String id, final String method, final String extra) {
    return Aggregation.parse(Json.parseStored("{\"name\":\"" + id + "\",\"method\":\"" + method + "\","
        + "\"metric\":{\"field_source\":\"ethereum_transaction\",\"field\":\"value\",\"function\":\"sum\"},"
        + "\"window\":{\"type\":\"rolling\",\"seconds\":3600}" + extra + "}"), id, 0, Optional.empty());
  }

  private static JsonNode request(final String method, final String to, final long value) {
    return Json.parseStored("{\"method\":\"" + method + "\",\"caip2\":\"eip155:1\",\"params\":{\"transaction\":{\"to\":\"" + to
        + "\",\"value\":\"0x" + Long.toHexString(value) + "\"}}}");
  }

  /** A transaction record as TransactionService writes it, {@code ago} before now. */
  private void sent(final Duration ago, final String to, final long value, final String status) {
    final long at = NOW.minus(ago).toEpochMilli();
    final var doc = Json.object().put("method", "eth_sendTransaction").put("status", status)
        .put("value", Long.toString(value)).put("created_at", at);
    doc.set("request", request("eth_sendTransaction", to, value));
    store.create(Item.of(APP, TransactionService.KIND, TransactionService.transactionId(WALLET, at), doc.toString()));
  }

  private String before(final Aggregation aggregation, final JsonNode current) {
    return sums.before(APP, WALLET, List.of(aggregation), Map.of(), current).get("aggregate." + aggregation.id());
  }

  @Test
  void onlyRequestsWithinTheWindowCountAndFailedTransactionsDoNot() {
    sent(Duration.ofMinutes(90), A, 1_000, "confirmed");
    sent(Duration.ofMinutes(30), A, 20, "confirmed");
    sent(Duration.ofMinutes(20), A, 300, "failed");
    sent(Duration.ofMinutes(10), A, 4, "broadcasted");

    assertThat(before(aggregation("daily", "eth_sendTransaction", ""), request("eth_sendTransaction", A, 1))).isEqualTo("24");
  }

  @Test
  void aBusyPastDoesNotHideTheWindow() {
    // More old transactions than one page: the read starts at the window, not at the wallet's first transaction.
    for (int i = 0; i < WindowSums.PAGE + 200; i++) {
      sent(Duration.ofHours(3).plusSeconds(i), A, 1, "confirmed");
    }
    sent(Duration.ofMinutes(5), A, 7, "confirmed");

    assertThat(before(aggregation("daily", "eth_sendTransaction", ""), request("eth_sendTransaction", A, 1))).isEqualTo("7");
  }

  @Test
  void aWindowTooFullToSumIsRefusedRatherThanUnderCounted() {
    for (int i = 0; i <= WindowSums.MAX_RECORDS; i++) {
      sent(Duration.ofMillis(100_000 + i), A, 1, "confirmed");
    }

    assertThatThrownBy(() -> before(aggregation("daily", "eth_sendTransaction", ""), request("eth_sendTransaction", A, 1)))
        .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(503));
  }

  @Test
  void groupByKeepsOneSumPerGroupAndConditionsFilterWhatCounts() {
    sent(Duration.ofMinutes(3), A, 5, "confirmed");
    sent(Duration.ofMinutes(2), B, 50, "confirmed");
    sent(Duration.ofMinutes(1), A.toUpperCase().replace("0X", "0x"), 500, "confirmed");

    final Aggregation perRecipient = aggregation("per-to", "eth_sendTransaction",
        ",\"group_by\":[{\"field_source\":\"ethereum_transaction\",\"field\":\"to\"}]");
    assertThat(before(perRecipient, request("eth_sendTransaction", A, 1))).isEqualTo("505");
    assertThat(before(perRecipient, request("eth_sendTransaction", B, 1))).isEqualTo("50");
    final Aggregation onlyToB = aggregation("to-b", "eth_sendTransaction",
        ",\"conditions\":[{\"field_source\":\"ethereum_transaction\",\"field\":\"to\",\"operator\":\"eq\",\"value\":\"" + B + "\"}]");
    assertThat(before(onlyToB, request("eth_sendTransaction", A, 1))).isEqualTo("50");
  }

  @Test
  void aggregationConditionsSeeTheConditionSetsTheyName() {
    sent(Duration.ofMinutes(2), A, 5, "confirmed");
    sent(Duration.ofMinutes(1), B, 50, "confirmed");
    final Aggregation toPayees = aggregation("to-payees", "eth_sendTransaction",
        ",\"conditions\":[{\"field_source\":\"ethereum_transaction\",\"field\":\"to\",\"operator\":\"in_condition_set\",\"value\":\"payees\"}]");

    assertThat(sums.before(APP, WALLET, List.of(toPayees), Map.of("payees", List.of(B)), request("eth_sendTransaction", A, 1)))
        .containsEntry("aggregate.to-payees", "50");
  }

  @Test
  void signedTransactionsAreRecordedOnlyWhenAnAggregationOfTheirMethodJudgedThem() {
    final Aggregation signing = aggregation("signing", "eth_signTransaction", "");
    final JsonNode signed = request("eth_signTransaction", A, 9);

    sums.recordSigned(APP, WALLET, List.of(aggregation("sending", "eth_sendTransaction", "")), signed);
    assertThat(before(signing, signed)).isEqualTo("0");
    sums.recordSigned(APP, WALLET, List.of(signing), signed);
    sums.recordSigned(APP, WALLET, List.of(signing), signed);
    assertThat(before(signing, signed)).isEqualTo("18");
    assertThat(store.listByIdPrefix(APP, WindowSums.SIGNED_KIND, WALLET + ".", Optional.empty(), 10).items())
        .allSatisfy(item -> assertThat(item.expiresAt()).hasValue(NOW.plusSeconds(Aggregation.MAX_WINDOW_SECONDS).getEpochSecond()));
  }

  @Test
  void recordsWrittenBeforeRequestsWereKeptCountTheirValue() {
    final long at = NOW.minusSeconds(60).toEpochMilli();
    store.create(Item.of(APP, TransactionService.KIND, TransactionService.transactionId(WALLET, at),
        Json.object().put("method", "eth_sendTransaction").put("status", "confirmed").put("value", "123")
            .put("created_at", at).toString()));

    assertThat(before(aggregation("daily", "eth_sendTransaction", ""), request("eth_sendTransaction", A, 1))).isEqualTo("123");
  }

  @Test
  void aLeaseWaitsForTheWalletsCurrentHolder() throws Exception {
    final WindowSums.Lease first = sums.lease(APP, WALLET);
    final var second = java.util.concurrent.CompletableFuture.supplyAsync(() -> sums.lease(APP, WALLET));
    Thread.sleep(200);
    assertThat(second).isNotDone();

    first.close();
    second.get(5, java.util.concurrent.TimeUnit.SECONDS).close();
    sums.lease(APP, "anotherwalletaaaaaaaaaaa").close();
  }

  @Test
  void aWalletThatStaysBusyIsA503AndOtherWalletsAreNotHeldUp() {
    final WindowSums impatient = new WindowSums(store, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofMillis(100));
    try (WindowSums.Lease held = sums.lease(APP, WALLET)) {
      assertThatThrownBy(() -> impatient.lease(APP, WALLET))
          .isInstanceOfSatisfying(ApiException.class, e -> {
            assertThat(e.status()).isEqualTo(503);
            assertThat(e.code()).isEqualTo("wallet_busy");
          });
      impatient.lease(APP, "anotherwalletaaaaaaaaaaa").close();
    }
    impatient.lease(APP, WALLET).close();
  }

  @Test
  void aLeaseWhoseHolderDiedExpiresAndItsLateReleaseLeavesTheNewHolderAlone() {
    final MutableClock clock = new MutableClock(NOW);
    final InMemoryStore moving = InMemoryStore.create(clock);
    final WindowSums meter = new WindowSums(moving, clock, Duration.ofMillis(100));
    final WindowSums.Lease abandoned = meter.lease(APP, WALLET);

    clock.advance(WindowSums.LEASE_TTL.plusSeconds(1));
    final WindowSums.Lease next = meter.lease(APP, WALLET);
    abandoned.close();
    assertThatThrownBy(() -> meter.lease(APP, WALLET)).isInstanceOf(ApiException.class);

    next.close();
    meter.lease(APP, WALLET).close();
  }

  @Test
  void noAggregationsMeansNoReads() {
    assertThat(sums.before(APP, WALLET, List.of(), Map.of(), request("eth_sendTransaction", A, 1))).isEqualTo(Map.of());
  }
}
