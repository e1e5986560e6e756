package dev.mandate.e2e;

import static dev.mandate.e2e.MandateHttp.ok200;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.mandate.Mandate;
import dev.mandate.chain.Accounts;
import dev.mandate.chain.JsonRpcClient;
import dev.mandate.testkit.HardhatNode;
import java.math.BigInteger;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Transactions reach a real chain (a Hardhat node on loopback): eth_sendTransaction with and without
 * nonce, gas and fees, idempotent broadcasts, insufficient funds; and a recurring action that pays a
 * fixed amount on a schedule through a signer whose policy allows one recipient and caps the daily sum.
 */
class ChainTest {
  private static final String APP = "chainapp0000000000000001";
  private static final String SECRET = "privy_app_secret_chain_app";
  private static final String CAIP2 = "eip155:31337";
  private static final BigInteger ETHER = BigInteger.TEN.pow(18);

  private static MandateHttp api;
  private static HardhatNode chain;
  private static JsonRpcClient rpc;

  @BeforeAll
  static void setUp() {
    Stack.get(); // configures the process before Mandate.instance() is first built
    // An app of our own, so no other suite's JWT settings interfere.
    Mandate.instance().apps().ensureApp(APP, SECRET);
    api = Stack.get().client().withCredentials(APP, SECRET);
    chain = Stack.get().chain();
    rpc = JsonRpcClient.of(chain.rpcUrl());
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

  private static String send(final String to, final BigInteger value, final String extra) {
    return "{\"method\":\"eth_sendTransaction\",\"caip2\":\"" + CAIP2 + "\",\"params\":{\"transaction\":{\"to\":\"" + to
        + "\",\"value\":\"0x" + value.toString(16) + "\"" + extra + "}}}";
  }

  @Test
  void sendFillsWhatIsMissingBroadcastsAndTracksTheReceipt() {
    final JsonNode wallet = ok200(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\"}"));
    final String address = wallet.path("address").asText();
    fund(address, ETHER);
    final String to = newRecipient();
    final BigInteger amount = ETHER.divide(BigInteger.valueOf(100));
    final JsonNode sent = ok200(api.post("/v1/wallets/" + wallet.path("id").asText() + "/rpc", send(to, amount, "")));
    assertThat(sent.path("method").asText()).isEqualTo("eth_sendTransaction");
    assertThat(sent.path("data").path("hash").asText()).startsWith("0x").hasSize(66);
    assertThat(sent.path("data").path("caip2").asText()).isEqualTo(CAIP2);
    assertThat(balance(to)).isEqualTo(amount);
    final JsonNode tx = ok200(api.get("/v1/transactions/" + sent.path("data").path("transaction_id").asText()));
    assertThat(tx.path("status").asText()).isEqualTo("confirmed");
    assertThat(tx.path("transaction_hash").asText()).isEqualTo(sent.path("data").path("hash").asText());

    // Explicit nonce, gas and fees are used as given.
    final BigInteger nonce = Accounts.pendingNonce(address, rpc);
    final JsonNode explicit = ok200(api.post("/v1/wallets/" + wallet.path("id").asText() + "/rpc", send(to, amount,
        ",\"nonce\":" + nonce + ",\"gas_limit\":30000,\"type\":2,\"max_fee_per_gas\":\"0x77359400\",\"max_priority_fee_per_gas\":\"0x3b9aca00\"")));
    final JsonNode onChain = rpc.call("eth_getTransactionByHash", explicit.path("data").path("hash").asText());
    assertThat(new BigInteger(onChain.path("gas").asText().substring(2), 16)).isEqualTo(BigInteger.valueOf(30000));
    assertThat(new BigInteger(onChain.path("nonce").asText().substring(2), 16)).isEqualTo(nonce);
    assertThat(onChain.path("maxFeePerGas").asText()).isEqualTo("0x77359400");
    assertThat(balance(to)).isEqualTo(amount.multiply(BigInteger.TWO));
  }

  @Test
  void aTransactionWhoseNonceAnotherTookEndsFailed() {
    final JsonNode wallet = ok200(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\"}"));
    final String address = wallet.path("address").asText();
    fund(address, ETHER);
    final String rpcPath = "/v1/wallets/" + wallet.path("id").asText() + "/rpc";
    final BigInteger nonce = Accounts.pendingNonce(address, rpc);
    final String first;
    final String second;
    chain.setAutomine(false);
    try {
      first = ok200(api.post(rpcPath, send(newRecipient(), BigInteger.ONE, ",\"nonce\":" + nonce
          + ",\"gas_limit\":21000,\"type\":2,\"max_fee_per_gas\":\"0x77359400\",\"max_priority_fee_per_gas\":\"0x3b9aca00\"")))
          .path("data").path("transaction_id").asText();
      // Same nonce, four times the fees: the node replaces the first in its pool.
      second = ok200(api.post(rpcPath, send(newRecipient(), BigInteger.TWO, ",\"nonce\":" + nonce
          + ",\"gas_limit\":21000,\"type\":2,\"max_fee_per_gas\":\"0x1dcd65000\",\"max_priority_fee_per_gas\":\"0xee6b2800\"")))
          .path("data").path("transaction_id").asText();
      assertThat(ok200(api.get("/v1/transactions/" + first)).path("status").asText()).isEqualTo("broadcasted");
      chain.mine();
    } finally {
      chain.setAutomine(true);
    }
    assertThat(ok200(api.get("/v1/transactions/" + second)).path("status").asText()).isEqualTo("confirmed");
    assertThat(ok200(api.get("/v1/transactions/" + first)).path("status").asText()).isEqualTo("failed");
  }

  @Test
  void theSameIdempotencyKeyBroadcastsOnce() {
    final JsonNode wallet = ok200(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\"}"));
    fund(wallet.path("address").asText(), ETHER);
    final String to = newRecipient();
    final Map<String, String> key = Map.of("privy-idempotency-key", "send-" + System.nanoTime());
    final String body = send(to, BigInteger.valueOf(12345), "");
    final MandateHttp.Response first = api.send("POST", "/v1/wallets/" + wallet.path("id").asText() + "/rpc", body, key);
    final MandateHttp.Response second = api.send("POST", "/v1/wallets/" + wallet.path("id").asText() + "/rpc", body, key);
    assertThat(first.status()).as(first.toString()).isEqualTo(200);
    assertThat(second.raw()).isEqualTo(first.raw());
    assertThat(balance(to)).isEqualTo(BigInteger.valueOf(12345));
    assertThat(Accounts.pendingNonce(wallet.path("address").asText(), rpc)).isEqualTo(BigInteger.ONE);
  }

  @Test
  void anUnderfundedWalletGetsInsufficientFunds() {
    final JsonNode wallet = ok200(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\"}"));
    final MandateHttp.Response refused = api.post("/v1/wallets/" + wallet.path("id").asText() + "/rpc",
        send(newRecipient(), ETHER, ""));
    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(refused.code()).isEqualTo("insufficient_funds");
    assertThat(Accounts.pendingNonce(wallet.path("address").asText(), rpc)).isEqualTo(BigInteger.ZERO);
  }

  @Test
  void aRecurringActionPaysOncePerScheduledTimeWithinItsPolicyUntilTheCap() throws Exception {
    // A user-owned wallet: the user logs in (JWT) and gets a one-time key and a wallet.
    final RSAKey login = new RSAKeyGenerator(2048).keyID("login").generate();
    ok200(api.send("PUT", "/v1/jwt_settings", "{\"pem_public_keys\":[\"" + pem(login) + "\"],\"issuer\":\"https://auth.example\"}", Map.of()));
    final MandateHttp.Response auth = api.raw("POST", "/v1/signer/authenticate", "{}", Map.of(
        "privy-app-id", APP, "authorization", "Bearer " + jwt(login, "alice-" + System.nanoTime()), "content-type", "application/json"));
    final JsonNode session = ok200(auth);
    final String walletId = session.path("wallet_id").asText();
    final String address = ok200(api.get("/v1/wallets/" + walletId)).path("address").asText();
    fund(address, ETHER);

    // The signer's scope: one recipient, and at most 2.5 payments a day (an aggregation caps the sum).
    final String to = newRecipient();
    final BigInteger amount = ETHER.divide(BigInteger.valueOf(1000));
    final String aggregation = ok200(api.post("/v1/aggregations", "{\"name\":\"daily spend\",\"method\":\"eth_sendTransaction\","
        + "\"metric\":{\"field_source\":\"ethereum_transaction\",\"field\":\"value\",\"function\":\"sum\"},"
        + "\"window\":{\"type\":\"rolling\",\"seconds\":86400}}")).path("id").asText();
    final String policy = ok200(api.post("/v1/policies", "{\"version\":\"1.0\",\"name\":\"subscription\",\"chain_type\":\"ethereum\","
        + "\"rules\":[{\"name\":\"pay the merchant within the daily cap\",\"method\":\"eth_sendTransaction\",\"action\":\"ALLOW\",\"conditions\":["
        + "{\"field_source\":\"ethereum_transaction\",\"field\":\"to\",\"operator\":\"eq\",\"value\":\"" + to + "\"},"
        + "{\"field_source\":\"reference\",\"field\":\"aggregation." + aggregation + "\",\"operator\":\"lte\",\"value\":\""
        + amount.multiply(BigInteger.valueOf(5)).divide(BigInteger.TWO) + "\"}]}]}")).path("id").asText();
    final JsonNode action = ok200(api.post("/v1/recurring_actions", "{\"wallet_id\":\"" + walletId + "\",\"schedule\":\"rate(2 seconds)\","
        + "\"request\":" + send(to, amount, "") + "}"));
    assertThat(action.path("status").asText()).isEqualTo("active");
    assertThat(action.has("key")).isFalse();

    // The user (owner) adds the action as a signer with the override policy, with the one-time key.
    final AuthKey user = AuthKey.fromPkcs8(session.path("authenticated_signer").asText());
    ok200(api.signed("PATCH", "/v1/wallets/" + walletId, "{\"additional_signers\":[{\"signer_id\":\""
        + action.path("signer_id").asText() + "\",\"override_policy_ids\":[\"" + policy + "\"]}]}", user));
    final String actionPath = "/v1/recurring_actions/" + action.path("id").asText();

    runOnce(actionPath);
    // Paused, so the next scheduled time (2 s later, sooner if the run was late) cannot run while the
    // same run is delivered again: a duplicate tick, then three copies of its index entry written
    // behind the tick's back. Each is a no-op.
    ok200(api.post(actionPath + "/pause", ""));
    Stack.get().tick();
    final JsonNode firstRun = ok200(api.get(actionPath + "/runs")).path("data").get(0);
    final java.util.List<Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue>> copies = new java.util.ArrayList<>();
    for (int i = 0; i < 3; i++) {
      copies.add(announceAgain(action.path("id").asText(), firstRun.path("scheduled_at").asLong(), i));
    }
    Stack.get().tick();
    try (software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo =
        dev.mandate.testkit.AwsTestClients.dynamoDb(java.net.URI.create(System.getProperty("aws.endpointUrl")))) {
      for (final Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> copy : copies) {
        // Written behind the store's back, a copy has no anchor: the tick refuses it (alarm), runs
        // nothing for it, and leaves it where it is.
        assertThat(dynamo.getItem(b -> b.tableName("mandate").key(copy).consistentRead(true)).item())
            .as("each forged copy was refused, not delivered").isNotEmpty();
      }
    }
    assertThat(balance(to)).isEqualTo(amount);
    assertThat(ok200(api.get(actionPath + "/runs")).path("data")).hasSize(1);
    assertThat(ok200(api.get(actionPath + "/runs")).path("data").get(0)).isEqualTo(firstRun);
    ok200(api.post(actionPath + "/resume", ""));

    runOnce(actionPath);
    assertThat(balance(to)).isEqualTo(amount.multiply(BigInteger.TWO));

    runOnce(actionPath); // a third payment would pass the cap: denied, recorded, not broadcast
    assertThat(balance(to)).isEqualTo(amount.multiply(BigInteger.TWO));
    assertThat(Accounts.pendingNonce(address, rpc)).isEqualTo(BigInteger.TWO);
    final JsonNode runs = ok200(api.get(actionPath + "/runs")).path("data");
    assertThat(runs).hasSize(3);
    assertThat(runs.get(0).path("outcome").asText()).isEqualTo("succeeded");
    assertThat(runs.get(1).path("outcome").asText()).isEqualTo("succeeded");
    assertThat(runs.get(2).path("outcome").asText()).isEqualTo("denied");
    assertThat(runs.get(2).path("policy_decision").path("decision").asText()).isEqualTo("DENY");

    // Paused, it does not run.
    ok200(api.post(actionPath + "/pause", ""));
    Thread.sleep(2100);
    Stack.get().tick();
    assertThat(ok200(api.get(actionPath + "/runs")).path("data")).hasSize(3);
  }

  /** Writes a due-index entry for a run that already ran, as a duplicate delivery would present it. */
  private static Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> announceAgain(
      final String actionId, final long scheduledAt, final int copy) {
    final String partition = "_due." + java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmm")
        .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.ofEpochMilli(scheduledAt))
        + "." + Math.floorMod(actionId.hashCode(), 16);
    final Map<String, software.amazon.awssdk.services.dynamodb.model.AttributeValue> key = Map.of(
        "pk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("app#" + partition),
        "sk", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(
            "recurring_due#" + String.format("%013d", scheduledAt) + "." + actionId + ".dup" + copy));
    try (software.amazon.awssdk.services.dynamodb.DynamoDbClient dynamo =
        dev.mandate.testkit.AwsTestClients.dynamoDb(java.net.URI.create(System.getProperty("aws.endpointUrl")))) {
      dynamo.putItem(b -> b.tableName("mandate").item(Map.of(
          "pk", key.get("pk"), "sk", key.get("sk"),
          "doc", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS("{\"app_id\":\"" + APP
              + "\",\"action_id\":\"" + actionId + "\",\"scheduled_at\":" + scheduledAt + "}"),
          "ver", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromN("1"))));
    }
    return key;
  }

  /** Waits for the action's next time, then delivers one tick and checks exactly one more run happened. */
  private static void runOnce(final String actionPath) throws InterruptedException {
    final int before = ok200(api.get(actionPath + "/runs")).path("data").size();
    final long due = ok200(api.get(actionPath)).path("next_run_at").asLong();
    Thread.sleep(Math.max(0, due - System.currentTimeMillis() + 50));
    Stack.get().tick();
    assertThat(ok200(api.get(actionPath + "/runs")).path("data")).hasSize(before + 1);
  }

  private static String jwt(final RSAKey key, final String subject) throws Exception {
    final SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(),
        new JWTClaimsSet.Builder().subject(subject).issuer("https://auth.example")
            .expirationTime(new Date(System.currentTimeMillis() + 300_000)).build());
    jwt.sign(new RSASSASigner(key));
    return jwt.serialize();
  }

  private static String pem(final RSAKey key) throws Exception {
    return "-----BEGIN PUBLIC KEY-----\\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(key.toRSAPublicKey().getEncoded()).replace("\n", "\\n")
        + "\\n-----END PUBLIC KEY-----";
  }
}
