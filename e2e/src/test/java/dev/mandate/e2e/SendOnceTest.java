package dev.mandate.e2e;

import static dev.mandate.e2e.MandateHttp.rpc;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mandate.Mandate;
import dev.mandate.chain.Accounts;
import dev.mandate.chain.JsonRpcClient;
import dev.mandate.testkit.HardhatNode;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * eth_sendTransaction sends at most once (attack 4): a broadcast whose answer is lost, then the
 * caller's retry, puts exactly one transaction on chain and meters it once; an owner-signed send
 * replayed by the relay never becomes a second transfer.
 */
class SendOnceTest {
  private static final String APP = "sendonceapp0000000000001";
  private static final String SECRET = "privy_app_secret_send_once_app";
  private static final String CAIP2 = "eip155:31337";
  private static final BigInteger ETHER = BigInteger.TEN.pow(18);

  private static MandateHttp api;
  private static HardhatNode chain;
  private static JsonRpcClient rpc;

  @BeforeAll
  static void setUp() {
    Stack.get();
    Mandate.instance().apps().ensureApp(APP, SECRET);
    api = Stack.get().client().withCredentials(APP, SECRET);
    chain = Stack.get().chain();
    rpc = JsonRpcClient.of(chain.rpcUrl());
  }

  @Test
  void aLostBroadcastAnswerThenARetryPutsOneTransactionOnChainMeteredOnce() {
    final BigInteger amount = ETHER.divide(BigInteger.valueOf(100));
    final String to = newRecipient();
    final String wallet = cappedWallet(amount.multiply(BigInteger.valueOf(5)).divide(BigInteger.TWO));
    final String address = api.get("/v1/wallets/" + wallet).json().path("address").asText();
    fund(address, ETHER);
    final Map<String, String> key = Map.of("privy-idempotency-key", "lost-answer-" + System.nanoTime());

    Stack.get().rpcProxy().loseTheNextBroadcastAnswer();
    final MandateHttp.Response lost = api.send("POST", rpc(wallet), send(to, amount), key);
    assertThat(lost.status()).as(lost.toString()).isEqualTo(503);
    assertThat(lost.code()).isEqualTo("chain_unavailable");
    assertThat(balance(to)).as("the node got it all the same").isEqualTo(amount);

    final MandateHttp.Response retried = api.send("POST", rpc(wallet), send(to, amount), key);
    assertThat(retried.status()).as(retried.toString()).isEqualTo(200);
    assertThat(Accounts.pendingNonce(address, rpc)).as("transactions from the wallet").isEqualTo(BigInteger.ONE);
    assertThat(balance(to)).isEqualTo(amount);
    final JsonNode onChain = rpc.call("eth_getTransactionByHash", retried.json().path("data").path("hash").asText());
    assertThat(onChain.path("nonce").asText()).isEqualTo("0x0");

    // Metered once: with a cap of 2.5 payments, one more fits and a third does not.
    assertThat(api.post(rpc(wallet), send(to, amount)).status()).isEqualTo(200);
    final MandateHttp.Response third = api.post(rpc(wallet), send(to, amount));
    assertThat(third.status()).as(third.toString()).isEqualTo(400);
    assertThat(third.code()).isEqualTo("policy_violation");
    assertThat(balance(to)).isEqualTo(amount.multiply(BigInteger.TWO));
  }

  @Test
  void anOwnerSignedSendReplayedByTheRelayIsNotASecondTransfer() {
    final AuthKey owner = AuthKey.generate();
    final JsonNode wallet = api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"owner\":{\"public_key\":\""
        + owner.publicKey() + "\"}}").json();
    final String address = wallet.path("address").asText();
    fund(address, ETHER);
    final String to = newRecipient();
    final BigInteger amount = ETHER.divide(BigInteger.valueOf(100));
    final Map<String, String> expiry = Map.of("privy-request-expiry", String.valueOf(System.currentTimeMillis() + 600_000));
    final String body = send(to, amount);

    final MandateHttp.Response first = api.signed("POST", rpc(wallet.path("id").asText()), body, List.of(owner), expiry);
    assertThat(first.status()).as(first.toString()).isEqualTo(200);
    // The relay sends the very same signed request again, and again with the body re-spaced.
    final MandateHttp.Response replay = api.signed("POST", rpc(wallet.path("id").asText()), body, List.of(owner), expiry);
    final MandateHttp.Response respaced = api.signed("POST", rpc(wallet.path("id").asText()), body.replace(",", ", "),
        List.of(owner), expiry);

    for (final MandateHttp.Response again : List.of(replay, respaced)) {
      if (again.status() == 200) {
        assertThat(again.json().path("data").path("hash").asText()).isEqualTo(first.json().path("data").path("hash").asText());
      }
    }
    assertThat(Accounts.pendingNonce(address, rpc)).isEqualTo(BigInteger.ONE);
    assertThat(balance(to)).isEqualTo(amount);
  }

  private static String cappedWallet(final BigInteger cap) {
    final String aggregation = api.post("/v1/aggregations", "{\"name\":\"daily\",\"method\":\"eth_sendTransaction\","
        + "\"metric\":{\"field_source\":\"ethereum_transaction\",\"field\":\"value\",\"function\":\"sum\"},"
        + "\"window\":{\"type\":\"rolling\",\"seconds\":86400}}").json().path("id").asText();
    final String policy = api.post("/v1/policies", "{\"version\":\"1.0\",\"name\":\"cap\",\"chain_type\":\"ethereum\",\"rules\":["
        + "{\"name\":\"within the cap\",\"method\":\"eth_sendTransaction\",\"action\":\"ALLOW\",\"conditions\":["
        + "{\"field_source\":\"reference\",\"field\":\"aggregation." + aggregation + "\",\"operator\":\"lte\",\"value\":\""
        + cap + "\"}]}]}").json().path("id").asText();
    return api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"policy_ids\":[\"" + policy + "\"]}").json().path("id").asText();
  }

  private static String send(final String to, final BigInteger value) {
    return "{\"method\":\"eth_sendTransaction\",\"caip2\":\"" + CAIP2 + "\",\"params\":{\"transaction\":{\"to\":\"" + to
        + "\",\"value\":\"0x" + value.toString(16) + "\"}}}";
  }

  private static String newRecipient() {
    return String.format("0x%040x", new BigInteger(64, new java.util.Random()).add(BigInteger.valueOf(System.nanoTime())));
  }

  private static void fund(final String address, final BigInteger wei) {
    rpc.call("eth_sendTransaction", Map.of("from", chain.accountAddresses().get(1), "to", address, "value", "0x" + wei.toString(16)));
  }

  private static BigInteger balance(final String address) {
    return Accounts.balance(address, rpc);
  }
}
