package dev.mandate.e2e;

import static dev.mandate.e2e.MandateHttp.ok200;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mandate.Mandate;
import dev.mandate.chain.Accounts;
import dev.mandate.chain.JsonRpcClient;
import dev.mandate.testkit.HardhatNode;
import java.math.BigInteger;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 10, attack 6 on a real chain: for {@code eth_sendTransaction} the policy judges the filled
 * transaction that is signed, so a cap on {@code value_plus_max_fee} bounds the fees too.
 */
class FeePolicyChainTest {
  private static final String APP = "feeapp000000000000000001";
  private static final String SECRET = "privy_app_secret_fee_app";
  private static final String CAIP2 = "eip155:31337";
  private static final BigInteger ETHER = BigInteger.TEN.pow(18);
  private static final BigInteger FINNEY = BigInteger.TEN.pow(15);

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

  private static String send(final String to, final String extra) {
    return "{\"method\":\"eth_sendTransaction\",\"caip2\":\"" + CAIP2 + "\",\"params\":{\"transaction\":{\"to\":\"" + to
        + "\",\"value\":\"0x" + FINNEY.toString(16) + "\"" + extra + "}}}";
  }

  @Test
  void aSendIsJudgedWithTheFeesItIsSignedWith() {
    // At most 1 finney of value plus 1 finney of maximum fees.
    final String policy = ok200(api.post("/v1/policies", "{\"version\":\"1.0\",\"name\":\"bounded\",\"chain_type\":\"ethereum\","
        + "\"rules\":[{\"name\":\"value and fees\",\"method\":\"eth_sendTransaction\",\"action\":\"ALLOW\",\"conditions\":["
        + "{\"field_source\":\"ethereum_transaction\",\"field\":\"value_plus_max_fee\",\"operator\":\"lte\",\"value\":\""
        + FINNEY.multiply(BigInteger.TWO) + "\"}]}]}")).path("id").asText();
    final JsonNode wallet = ok200(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"policy_ids\":[\"" + policy + "\"]}"));
    final String address = wallet.path("address").asText();
    rpc.call("eth_sendTransaction", Map.of("from", chain.accountAddresses().get(1), "to", address, "value", "0x" + ETHER.toString(16)));
    final String rpcPath = "/v1/wallets/" + wallet.path("id").asText() + "/rpc";
    final String to = String.format("0x%040x", BigInteger.valueOf(System.nanoTime()));

    // 1,000,000 gas at 10 gwei: 10 finney of maximum fees, value 1 finney: denied before it is signed.
    final MandateHttp.Response expensive = api.post(rpcPath, send(to,
        ",\"gas_limit\":1000000,\"type\":2,\"max_fee_per_gas\":\"0x2540be400\",\"max_priority_fee_per_gas\":\"0x1\""));
    assertThat(expensive.status()).as(expensive.toString()).isEqualTo(400);
    assertThat(expensive.code()).isEqualTo("policy_violation");
    assertThat(Accounts.pendingNonce(address, rpc)).isEqualTo(BigInteger.ZERO);

    // The host's fees for a plain transfer stay within the cap: signed and sent.
    final JsonNode sent = ok200(api.post(rpcPath, send(to, "")));
    assertThat(sent.path("data").path("hash").asText()).startsWith("0x");
    assertThat(Accounts.balance(to, rpc)).isEqualTo(FINNEY);
  }

}
