package dev.mandate.e2e;

import static dev.mandate.e2e.MandateHttp.ok200;
import static dev.mandate.e2e.MandateHttp.rpc;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mandate.testkit.AwsCallCounter;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * AWS calls per signature on a warm wallet, counted by an SDK interceptor installed in the runner's
 * own DynamoDB and KMS clients ({@code MANDATE_AWS_INTERCEPTORS}, see {@link Stack}). The bounds are
 * ceilings: a change that adds a round trip or a KMS call to the signing path fails here.
 *
 * <p>Counted are round trips (requests to DynamoDB), not items: a BatchGetItem of a wallet, its
 * references and their anchors is one. Issue 12's goals were one round trip for an ownerless wallet
 * and at most two otherwise; the bounds are what the loader's per-wallet prediction achieves (one on
 * every warm path, by wallet id or ext_wal_ id), and at most 0.01 KMS calls once the wallet is hot.
 */
class AwsCallCountTest {
  private static final int WARM_UP = 3;
  private static final int MEASURED = 100;
  private static final String MESSAGE = "{\"method\":\"personal_sign\",\"params\":{\"message\":\"hi\",\"encoding\":\"utf-8\"}}";
  private static final String TO = "0x1111111111111111111111111111111111111111";
  private static final String TX = "{\"method\":\"eth_signTransaction\",\"params\":{\"transaction\":{\"type\":2,\"chain_id\":1,"
      + "\"nonce\":0,\"to\":\"" + TO + "\",\"value\":\"0x1\",\"gas_limit\":21000,"
      + "\"max_fee_per_gas\":\"0x3b9aca00\",\"max_priority_fee_per_gas\":\"0x1\"}}}";

  private static MandateHttp api;

  @BeforeAll
  static void setUp() {
    api = Stack.get().client();
  }

  @Test
  void ownerlessPersonalSignMakesNoKmsCallAndOneRoundTripWhenWarm() {
    final String wallet = ok200(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\"}")).path("id").asText();
    final PerRequest cost = measure(() -> api.post(rpc(wallet), MESSAGE));
    assertThat(cost.kms()).as(cost.toString()).isLessThanOrEqualTo(0.01);
    assertThat(cost.dynamoDb()).as(cost.toString()).isLessThanOrEqualTo(1.0);
    assertThat(cost.dynamoDbWrites()).as(cost.toString()).isZero();
  }

  @Test
  void ownerlessWalletNamedByItsExternalIdCostsOneRoundTripWhenWarm() {
    final String external = "count-" + System.nanoTime();
    ok200(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"external_id\":\"" + external + "\"}"));
    final PerRequest cost = measure(() -> api.post(rpc("ext_wal_" + external), MESSAGE));
    assertThat(cost.kms()).as(cost.toString()).isLessThanOrEqualTo(0.01);
    assertThat(cost.dynamoDb()).as(cost.toString()).isLessThanOrEqualTo(1.0);
    assertThat(cost.dynamoDbWrites()).as(cost.toString()).isZero();
  }

  @Test
  void keyOwnedWalletSignMakesNoKmsCallAndOneRoundTripWhenWarm() {
    final AuthKey owner = AuthKey.generate();
    final String wallet = ok200(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"owner\":{\"public_key\":\""
        + owner.publicKey() + "\"}}")).path("id").asText();
    final PerRequest cost = measure(() -> api.signed("POST", rpc(wallet), MESSAGE, owner));
    assertThat(cost.kms()).as(cost.toString()).isLessThanOrEqualTo(0.01);
    assertThat(cost.dynamoDb()).as(cost.toString()).isLessThanOrEqualTo(1.0);
    assertThat(cost.dynamoDbWrites()).as(cost.toString()).isZero();
  }

  @Test
  void signerWithAnOverridePolicySignsATransactionWithNoKmsCallAndOneRoundTripWhenWarm() {
    final AuthKey owner = AuthKey.generate();
    final AuthKey agent = AuthKey.generate();
    final String quorum = ok200(api.post("/v1/key_quorums", "{\"public_keys\":[\"" + agent.publicKey() + "\"]}")).path("id").asText();
    final String policy = ok200(api.post("/v1/policies", "{\"version\":\"1.0\",\"name\":\"to one address\","
        + "\"chain_type\":\"ethereum\",\"owner\":{\"public_key\":\"" + owner.publicKey() + "\"},\"rules\":[{\"name\":\"one to\","
        + "\"method\":\"eth_signTransaction\",\"action\":\"ALLOW\",\"conditions\":[{\"field_source\":\"ethereum_transaction\","
        + "\"field\":\"to\",\"operator\":\"eq\",\"value\":\"" + TO + "\"}]}]}")).path("id").asText();
    final String wallet = ok200(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"owner\":{\"public_key\":\""
        + owner.publicKey() + "\"},\"additional_signers\":[{\"signer_id\":\"" + quorum + "\",\"override_policy_ids\":[\""
        + policy + "\"]}]}")).path("id").asText();
    final PerRequest cost = measure(() -> api.signed("POST", rpc(wallet), TX, agent));
    assertThat(cost.kms()).as(cost.toString()).isLessThanOrEqualTo(0.01);
    assertThat(cost.dynamoDb()).as(cost.toString()).isLessThanOrEqualTo(1.0);
    assertThat(cost.dynamoDbWrites()).as(cost.toString()).isZero();
  }

  /** Three levels below the wallet: signer quorum and override policy, the policy's owner, its condition set. */
  @Test
  void signerWithAnOverridePolicyOnAConditionSetSignsWithOneRoundTripWhenWarm() {
    final AuthKey owner = AuthKey.generate();
    final AuthKey agent = AuthKey.generate();
    final String quorum = ok200(api.post("/v1/key_quorums", "{\"public_keys\":[\"" + agent.publicKey() + "\"]}")).path("id").asText();
    final String set = ok200(api.post("/v1/condition_sets", "{\"name\":\"payees\"}")).path("id").asText();
    ok200(api.post("/v1/condition_sets/" + set + "/condition_set_items", "[{\"value\":\"" + TO + "\"}]"));
    final String policy = ok200(api.post("/v1/policies", "{\"version\":\"1.0\",\"name\":\"to a payee\","
        + "\"chain_type\":\"ethereum\",\"owner\":{\"public_key\":\"" + owner.publicKey() + "\"},\"rules\":[{\"name\":\"payees\","
        + "\"method\":\"eth_signTransaction\",\"action\":\"ALLOW\",\"conditions\":[{\"field_source\":\"ethereum_transaction\","
        + "\"field\":\"to\",\"operator\":\"in_condition_set\",\"value\":\"" + set + "\"}]}]}")).path("id").asText();
    final String wallet = ok200(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"owner\":{\"public_key\":\""
        + owner.publicKey() + "\"},\"additional_signers\":[{\"signer_id\":\"" + quorum + "\",\"override_policy_ids\":[\""
        + policy + "\"]}]}")).path("id").asText();
    final PerRequest cost = measure(() -> api.signed("POST", rpc(wallet), TX, agent));
    assertThat(cost.kms()).as(cost.toString()).isLessThanOrEqualTo(0.01);
    assertThat(cost.dynamoDb()).as(cost.toString()).isLessThanOrEqualTo(1.0);
    assertThat(cost.dynamoDbWrites()).as(cost.toString()).isZero();
  }

  @Test
  void theCounterSeesTheRunnersCalls() {
    // Guards the guard: were the interceptor not installed, every bound above would pass vacuously.
    final AwsCallCounter.Tally before = AwsCallCounter.snapshot();
    ok200(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\"}"));
    final AwsCallCounter.Tally created = AwsCallCounter.snapshot().minus(before);
    assertThat(created.call("Kms:GenerateDataKey")).as(created.toString()).isEqualTo(1);
    assertThat(created.calls("DynamoDb")).as(created.toString()).isPositive();
  }

  /** Calls per request, averaged over {@value #MEASURED} requests after {@value #WARM_UP} warm-up ones. */
  record PerRequest(double dynamoDb, double dynamoDbWrites, double kms, AwsCallCounter.Tally tally) {}

  private static PerRequest measure(final Supplier<MandateHttp.Response> request) {
    for (int i = 0; i < WARM_UP; i++) {
      ok200(request.get());
    }
    final AwsCallCounter.Tally before = AwsCallCounter.snapshot();
    for (int i = 0; i < MEASURED; i++) {
      ok200(request.get());
    }
    final AwsCallCounter.Tally tally = AwsCallCounter.snapshot().minus(before);
    final long writes = tally.calls().entrySet().stream()
        .filter(e -> e.getKey().startsWith("DynamoDb:") && isWrite(e.getKey()))
        .mapToLong(java.util.Map.Entry::getValue).sum();
    final PerRequest cost = new PerRequest((double) tally.calls("DynamoDb") / MEASURED, (double) writes / MEASURED,
        (double) tally.calls("Kms") / MEASURED, tally);
    System.out.println("aws calls per request over " + MEASURED + ": " + cost);
    return cost;
  }

  private static boolean isWrite(final String operation) {
    return operation.matches("DynamoDb:(Put|Update|Delete|BatchWrite|TransactWrite).*");
  }

}
