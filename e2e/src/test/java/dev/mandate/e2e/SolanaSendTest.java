package dev.mandate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mandate.enclave.solana.Base58;
import dev.mandate.testkit.SolanaRpcNode;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * signAndSendTransaction against a local Solana RPC (litesvm) the stack starts itself: the dummy
 * blockhash is filled, the transfer lands, the transaction is recorded and confirmed, and a signer's
 * cap is enforced on sends too.
 */
class SolanaSendTest {
  private static final String RECIPIENT = "4tFqt2qzaNsnZqcpjPiyqYw9LdRzxaZdX2ewPncYEWLA";
  private static MandateHttp api;
  private static SolanaRpcNode cluster;
  private static AuthKey owner;
  private static AuthKey agent;
  private static String wallet;
  private static String address;

  @BeforeAll
  static void setUp() {
    api = Stack.get().client();
    cluster = Stack.get().solana();
    owner = AuthKey.generate();
    agent = AuthKey.generate();
    final String agentQuorum = api.post("/v1/key_quorums", "{\"public_keys\":[\"" + agent.publicKey() + "\"]}").json().path("id").asText();
    final String cap = api.post("/v1/policies", "{\"version\":\"1.0\",\"name\":\"send cap\",\"chain_type\":\"solana\",\"rules\":["
        + "{\"name\":\"small transfers\",\"method\":\"signAndSendTransaction\",\"action\":\"ALLOW\",\"conditions\":["
        + "{\"field_source\":\"solana_system_program_instruction\",\"field\":\"Transfer.lamports\",\"operator\":\"lte\",\"value\":\"1000000\"}]}]}")
        .json().path("id").asText();
    final MandateHttp.Response created = api.post("/v1/wallets", "{\"chain_type\":\"solana\",\"owner\":{\"public_key\":\""
        + owner.publicKey() + "\"},\"additional_signers\":[{\"signer_id\":\"" + agentQuorum + "\",\"override_policy_ids\":[\"" + cap + "\"]}]}");
    assertThat(created.status()).as(created.toString()).isEqualTo(200);
    wallet = created.json().path("id").asText();
    address = created.json().path("address").asText();
    cluster.airdrop(address, 2_000_000_000L);
  }

  private static String send(final byte[] tx, final String caip2) {
    return "{\"method\":\"signAndSendTransaction\",\"chain_type\":\"solana\",\"caip2\":\"" + caip2 + "\",\"reference_id\":\"r-"
        + System.nanoTime() + "\",\"params\":{\"transaction\":\"" + SolanaTx.base64(tx) + "\",\"encoding\":\"base64\"}}";
  }

  @Test
  void aRelayReplayingAnOwnerSignedSendGetsTheFirstTransactionNotANewOne() {
    final long before = cluster.balance(RECIPIENT);
    final byte[] tx = SolanaTx.transfer(List.of(address), address, RECIPIENT, 1_500_000, SolanaTx.SYSTEM, false);
    final String body = send(tx, SolanaRpcNode.CAIP2);
    final MandateHttp.Response first = api.signed("POST", "/v1/wallets/" + wallet + "/rpc", body, owner);
    assertThat(first.status()).as(first.toString()).isEqualTo(200);
    // The same signed request again (the dummy blockhash would get a fresh one each time): the first
    // transaction comes back, nothing new is signed or sent.
    for (int i = 0; i < 2; i++) {
      final MandateHttp.Response replay = api.signed("POST", "/v1/wallets/" + wallet + "/rpc", body, owner);
      assertThat(replay.status()).as(replay.toString()).isEqualTo(200);
      assertThat(replay.json().path("data").path("transaction_id").asText())
          .isEqualTo(first.json().path("data").path("transaction_id").asText());
      assertThat(replay.json().path("data").path("hash").asText()).isEqualTo(first.json().path("data").path("hash").asText());
    }
    assertThat(cluster.balance(RECIPIENT)).isEqualTo(before + 1_500_000);
  }

  @Test
  void aTransferWithTheDummyBlockhashLandsAndIsRecordedAndConfirmed() {
    final long before = cluster.balance(RECIPIENT);
    final byte[] tx = SolanaTx.transfer(List.of(address), address, RECIPIENT, 1_000_000, SolanaTx.SYSTEM, false);
    final MandateHttp.Response r = api.signed("POST", "/v1/wallets/" + wallet + "/rpc", send(tx, SolanaRpcNode.CAIP2), owner);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    final var data = r.json().path("data");
    assertThat(data.path("caip2").asText()).isEqualTo(SolanaRpcNode.CAIP2);
    final byte[] signed = Base64.getDecoder().decode(data.path("signed_transaction").asText());
    assertThat(Base58.decode(data.path("hash").asText())).hasValueSatisfying(h -> assertThat(h).isEqualTo(SolanaTx.signature(signed, 0)));
    assertThat(SolanaTx.verify(address, SolanaTx.message(signed), SolanaTx.signature(signed, 0))).isTrue();
    assertThat(SolanaTx.message(signed)).isNotEqualTo(SolanaTx.message(tx)); // the blockhash was filled
    assertThat(cluster.balance(RECIPIENT)).isEqualTo(before + 1_000_000);
    final MandateHttp.Response record = api.get("/v1/transactions/" + data.path("transaction_id").asText());
    assertThat(record.status()).as(record.toString()).isEqualTo(200);
    assertThat(record.json().path("transaction_hash").asText()).isEqualTo(data.path("hash").asText());
    assertThat(record.json().path("status").asText()).isEqualTo("confirmed");
    assertThat(record.json().path("wallet_id").asText()).isEqualTo(wallet);
  }

  @Test
  void aSignersCapHoldsOnSendsAndNothingIsBroadcastWhenDenied() {
    final long before = cluster.balance(RECIPIENT);
    final byte[] small = SolanaTx.transfer(List.of(address), address, RECIPIENT, 900_000, SolanaTx.SYSTEM, true);
    final MandateHttp.Response allowed = api.signed("POST", "/v1/wallets/" + wallet + "/rpc", send(small, SolanaRpcNode.CAIP2), agent);
    assertThat(allowed.status()).as(allowed.toString()).isEqualTo(200);
    final byte[] large = SolanaTx.transfer(List.of(address), address, RECIPIENT, 5_000_000, SolanaTx.SYSTEM, true);
    final MandateHttp.Response denied = api.signed("POST", "/v1/wallets/" + wallet + "/rpc", send(large, SolanaRpcNode.CAIP2), agent);
    assertThat(denied.code()).as(denied.toString()).isEqualTo("policy_violation");
    assertThat(cluster.balance(RECIPIENT)).isEqualTo(before + 900_000);
  }

  @Test
  void aRecurringSolanaPaymentGetsAFreshBlockhashEveryRun() throws InterruptedException {
    final byte[] random = new byte[32];
    new java.security.SecureRandom().nextBytes(random);
    final String merchant = Base58.encode(random);
    final String w = api.post("/v1/wallets", "{\"chain_type\":\"solana\",\"owner\":{\"public_key\":\"" + owner.publicKey() + "\"}}")
        .json().path("id").asText();
    final String from = api.get("/v1/wallets/" + w).json().path("address").asText();
    cluster.airdrop(from, 1_000_000_000L);
    final String cap = api.post("/v1/policies", "{\"version\":\"1.0\",\"name\":\"subscription\",\"chain_type\":\"solana\",\"rules\":["
        + "{\"name\":\"pay the merchant\",\"method\":\"signAndSendTransaction\",\"action\":\"ALLOW\",\"conditions\":["
        + "{\"field_source\":\"solana_system_program_instruction\",\"field\":\"Transfer.to\",\"operator\":\"eq\",\"value\":\"" + merchant + "\"},"
        + "{\"field_source\":\"solana_system_program_instruction\",\"field\":\"Transfer.lamports\",\"operator\":\"lte\",\"value\":\"1000000\"}]}]}")
        .json().path("id").asText();
    final byte[] payment = SolanaTx.transfer(List.of(from), from, merchant, 1_000_000, SolanaTx.SYSTEM, false);
    final MandateHttp.Response action = api.post("/v1/recurring_actions", "{\"wallet_id\":\"" + w
        + "\",\"schedule\":\"rate(2 seconds)\",\"request\":{\"method\":\"signAndSendTransaction\",\"caip2\":\"" + SolanaRpcNode.CAIP2
        + "\",\"params\":{\"transaction\":\"" + SolanaTx.base64(payment) + "\",\"encoding\":\"base64\"}}}");
    assertThat(action.status()).as(action.toString()).isEqualTo(200);
    final MandateHttp.Response added = api.signed("PATCH", "/v1/wallets/" + w, "{\"additional_signers\":[{\"signer_id\":\""
        + action.json().path("signer_id").asText() + "\",\"override_policy_ids\":[\"" + cap + "\"]}]}", owner);
    assertThat(added.status()).as(added.toString()).isEqualTo(200);
    final String actionPath = "/v1/recurring_actions/" + action.json().path("id").asText();
    for (int run = 1; run <= 2; run++) {
      final long due = api.get(actionPath).json().path("next_run_at").asLong();
      Thread.sleep(Math.max(0, due - System.currentTimeMillis() + 50));
      Stack.get().tick();
      final var runs = api.get(actionPath + "/runs").json().path("data");
      assertThat(runs).as(runs.toString()).hasSize(run);
      assertThat(runs.get(run - 1).path("outcome").asText()).as(runs.toString()).isEqualTo("succeeded");
      assertThat(cluster.balance(merchant)).isEqualTo(run * 1_000_000L);
    }
    api.post(actionPath + "/pause", "");
  }

  @Test
  void dryRunShowsTheDecisionAndSendsNothing() {
    final long before = cluster.balance(RECIPIENT);
    final byte[] large = SolanaTx.transfer(List.of(address), address, RECIPIENT, 5_000_000, SolanaTx.SYSTEM, false);
    final MandateHttp.Response r = api.signed("POST", "/v1/wallets/" + wallet + "/rpc/dry_run", send(large, SolanaRpcNode.CAIP2), agent);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().path("policy_decision").path("decision").asText()).isEqualTo("DENY");
    assertThat(r.json().path("policy_decision").path("reason").asText()).contains("instruction 0").contains("no rule matched");
    assertThat(r.json().has("data")).isFalse();
    assertThat(cluster.balance(RECIPIENT)).isEqualTo(before);
  }

  @Test
  void sendsNameAConfiguredSolanaClusterAndAnEmptyFeePayerIsInsufficientFunds() {
    final byte[] tx = SolanaTx.transfer(List.of(address), address, RECIPIENT, 1, SolanaTx.SYSTEM, false);
    final String path = "/v1/wallets/" + wallet + "/rpc";
    assertThat(api.signed("POST", path, send(tx, "eip155:1"), owner).code()).isEqualTo("invalid_data");
    final MandateHttp.Response mainnet = api.signed("POST", path, send(tx, "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp"), owner);
    assertThat(mainnet.status()).as(mainnet.toString()).isEqualTo(400);
    assertThat(mainnet.code()).isEqualTo("unsupported_chain");
    final String poor = api.post("/v1/wallets", "{\"chain_type\":\"solana\"}").json().path("address").asText();
    final String poorId = api.get("/v1/wallets?chain_type=solana").json().path("data").findParents("address").stream()
        .filter(w -> w.path("address").asText().equals(poor)).findFirst().orElseThrow().path("id").asText();
    final MandateHttp.Response broke = api.post("/v1/wallets/" + poorId + "/rpc",
        send(SolanaTx.transfer(List.of(poor), poor, RECIPIENT, 1, SolanaTx.SYSTEM, false), SolanaRpcNode.CAIP2));
    assertThat(broke.status()).as(broke.toString()).isEqualTo(400);
    assertThat(broke.code()).isIn("insufficient_funds", "transaction_broadcast_failure");
  }
}
