package dev.mandate.e2e;

import static dev.mandate.e2e.MandateHttp.ok200;
import static dev.mandate.e2e.MandateHttp.rpc;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Rolling-window caps on eth_signTransaction over HTTP (Privy's aggregations): every signature
 * counts towards the window, dry runs do not, {@code group_by} keeps a sum per group, a calldata
 * metric sums token amounts, the aggregation's own conditions (condition sets included) decide
 * what counts, and requests racing each other are metered one at a time. (eth_sendTransaction caps against a real chain are in ChainTest.)
 */
class AggregationTest {
  private static final String A = "0x1111111111111111111111111111111111111111";
  private static final String B = "0x2222222222222222222222222222222222222222";
  private static final String TOKEN = "0x3333333333333333333333333333333333333333";
  private static final String TRANSFER_ABI = "[{\"type\":\"function\",\"name\":\"transfer\",\"stateMutability\":\"nonpayable\","
      + "\"inputs\":[{\"name\":\"to\",\"type\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\"}],"
      + "\"outputs\":[{\"name\":\"\",\"type\":\"bool\"}]}]";

  private static MandateHttp api;

  @BeforeAll
  static void setUp() {
    api = Stack.get().client();
  }

  @Test
  void everySignatureCountsTowardsTheCapAndDryRunsDoNot() {
    final String wallet = cappedWallet(valueAggregation(""), "25");

    assertSigned(sign(wallet, A, 10, "0x"));
    assertThat(api.post(rpc(wallet) + "/dry_run", tx(A, 10, "0x")).json().path("policy_decision").path("decision").asText())
        .isEqualTo("ALLOW");
    assertSigned(sign(wallet, A, 10, "0x"));
    assertDenied(sign(wallet, A, 10, "0x"));
    assertSigned(sign(wallet, B, 5, "0x"));
    assertDenied(sign(wallet, B, 1, "0x"));
  }

  @Test
  void groupByKeepsASumPerRecipient() {
    final String wallet = cappedWallet(valueAggregation(
        ",\"group_by\":[{\"field_source\":\"ethereum_transaction\",\"field\":\"to\"}]"), "20");

    assertSigned(sign(wallet, A, 20, "0x"));
    assertSigned(sign(wallet, B, 15, "0x"));
    assertDenied(sign(wallet, A, 1, "0x"));
    assertSigned(sign(wallet, B, 5, "0x"));
    assertDenied(sign(wallet, B, 1, "0x"));
  }

  @Test
  void aCalldataMetricSumsTokenAmountsOfTheTokenItsConditionNames() {
    final String aggregation = ok200(api.post("/v1/aggregations", "{\"name\":\"token spend\",\"method\":\"eth_signTransaction\","
        + "\"metric\":{\"field_source\":\"ethereum_calldata\",\"field\":\"transfer.amount\",\"abi\":" + TRANSFER_ABI + ",\"function\":\"sum\"},"
        + "\"window\":{\"type\":\"rolling\",\"seconds\":86400},\"conditions\":[{\"field_source\":\"ethereum_transaction\","
        + "\"field\":\"to\",\"operator\":\"eq\",\"value\":\"" + TOKEN + "\"}]}")).path("id").asText();
    final String wallet = cappedWallet(aggregation, "1500000");

    assertSigned(sign(wallet, TOKEN, 0, transfer(1_000_000)));
    assertSigned(sign(wallet, TOKEN, 0, transfer(500_000)));
    assertDenied(sign(wallet, TOKEN, 0, transfer(1)));
    // Another contract's transfer does not count towards this token's cap.
    assertSigned(sign(wallet, A, 0, transfer(9_000_000)));
  }

  @Test
  void aConditionSetInTheAggregationDecidesWhichRequestsCount() {
    final String payees = ok200(api.post("/v1/condition_sets", "{\"name\":\"payees\"}")).path("id").asText();
    ok200(api.post("/v1/condition_sets/" + payees + "/condition_set_items", "[{\"value\":\"" + B + "\"}]"));
    final String wallet = cappedWallet(valueAggregation(",\"conditions\":[{\"field_source\":\"ethereum_transaction\","
        + "\"field\":\"to\",\"operator\":\"in_condition_set\",\"value\":\"" + payees + "\"}]"), "10");

    assertSigned(sign(wallet, A, 100, "0x"));
    assertSigned(sign(wallet, B, 10, "0x"));
    assertDenied(sign(wallet, B, 1, "0x"));
    assertSigned(sign(wallet, A, 100, "0x"));
  }

  @Test
  void requestsRacingEachOtherCannotTogetherPassTheCap() throws Exception {
    final String wallet = cappedWallet(valueAggregation(""), "10");
    final int racers = 8;
    final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(racers);
    final java.util.concurrent.CountDownLatch start = new java.util.concurrent.CountDownLatch(1);
    final java.util.List<java.util.concurrent.Future<MandateHttp.Response>> results = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < racers; i++) {
        results.add(pool.submit(() -> {
          start.await();
          return sign(wallet, A, 10, "0x");
        }));
      }
      start.countDown();
      int signed = 0;
      for (final java.util.concurrent.Future<MandateHttp.Response> result : results) {
        final MandateHttp.Response response = result.get(60, java.util.concurrent.TimeUnit.SECONDS);
        if (response.status() == 200) {
          signed++;
        } else {
          assertDenied(response);
        }
      }
      assertThat(signed).as("signatures within a cap that allows one").isEqualTo(1);
    } finally {
      pool.shutdownNow();
    }
  }

  private static String valueAggregation(final String extra) {
    return ok200(api.post("/v1/aggregations", "{\"name\":\"daily value\",\"method\":\"eth_signTransaction\","
        + "\"metric\":{\"field_source\":\"ethereum_transaction\",\"field\":\"value\",\"function\":\"sum\"},"
        + "\"window\":{\"type\":\"rolling\",\"seconds\":86400}" + extra + "}")).path("id").asText();
  }

  /** An ownerless wallet whose policy allows eth_signTransaction while the aggregation stays within {@code cap}. */
  private static String cappedWallet(final String aggregation, final String cap) {
    final String policy = ok200(api.post("/v1/policies", "{\"version\":\"1.0\",\"name\":\"capped\",\"chain_type\":\"ethereum\","
        + "\"rules\":[{\"name\":\"within the cap\",\"method\":\"eth_signTransaction\",\"action\":\"ALLOW\",\"conditions\":["
        + "{\"field_source\":\"reference\",\"field\":\"aggregation." + aggregation + "\",\"operator\":\"lte\",\"value\":\"" + cap + "\"}]}]}"))
        .path("id").asText();
    return ok200(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"policy_ids\":[\"" + policy + "\"]}")).path("id").asText();
  }

  private static MandateHttp.Response sign(final String wallet, final String to, final long value, final String data) {
    return api.post(rpc(wallet), tx(to, value, data));
  }

  private static String tx(final String to, final long value, final String data) {
    return "{\"method\":\"eth_signTransaction\",\"params\":{\"transaction\":{\"type\":2,\"chain_id\":1,\"nonce\":0,\"to\":\""
        + to + "\",\"value\":\"0x" + BigInteger.valueOf(value).toString(16) + "\",\"data\":\"" + data + "\",\"gas_limit\":60000,"
        + "\"max_fee_per_gas\":\"0x3b9aca00\",\"max_priority_fee_per_gas\":\"0x1\"}}}";
  }

  private static String transfer(final long amount) {
    return "0xa9059cbb" + "0".repeat(24) + B.substring(2) + String.format("%064x", amount);
  }

  private static void assertSigned(final MandateHttp.Response response) {
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    assertThat(response.json().path("data").path("signed_transaction").asText()).startsWith("0x02");
  }

  private static void assertDenied(final MandateHttp.Response response) {
    assertThat(response.status()).as(response.toString()).isEqualTo(400);
    assertThat(response.code()).isEqualTo("policy_violation");
    assertThat(response.json().path("policy_decision").path("decision").asText()).isEqualTo("DENY");
  }

}
