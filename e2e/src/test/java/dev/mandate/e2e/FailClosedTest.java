package dev.mandate.e2e;

import static dev.mandate.e2e.MandateHttp.ok200;
import static org.assertj.core.api.Assertions.assertThat;

import dev.mandate.testkit.AwsTestClients;
import java.math.BigInteger;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A policy whose references are gone never quietly loses a rule: a DENY blocklist whose condition set
 * was deleted, or a cap whose aggregation was deleted, refuses the request instead of letting it
 * through. Through the API such deletes are refused while the record is in use (409
 * {@code resource_in_use}); a table writer (attack class 3) who deletes the item anyway gets no
 * signature either.
 */
class FailClosedTest {
  private static final String TABLE = "mandate";
  private static final String A = "0x1111111111111111111111111111111111111111";
  private static final String BLOCKED = "0x2222222222222222222222222222222222222222";

  private static MandateHttp api;
  private static DynamoDbClient dynamo;

  @BeforeAll
  static void setUp() {
    api = Stack.get().client();
    dynamo = AwsTestClients.dynamoDb(URI.create(System.getProperty("aws.endpointUrl")));
  }

  @AfterAll
  static void close() {
    dynamo.close();
  }

  @Test
  void aBlocklistWhoseConditionSetWasDeletedInTheTableStillBlocks() {
    final String set = blocklist();
    final String wallet = wallet(policy(allowAll() + "," + denyRule("{\"field_source\":\"ethereum_transaction\","
        + "\"field\":\"to\",\"operator\":\"in_condition_set\",\"value\":\"" + set + "\"}")));
    assertDenied(sign(wallet, BLOCKED, 1));
    assertSigned(sign(wallet, A, 1));

    deleteInTable("condition_set", set);

    // The record's anchor is live, so the store refuses the read before the policy gate would.
    assertRefusedAsDeletedInTable(sign(wallet, BLOCKED, 1));
    assertRefusedAsDeletedInTable(sign(wallet, A, 1));
  }

  @Test
  void aCapWhoseAggregationWasDeletedInTheTableStillBinds() {
    final String aggregation = aggregation();
    final String wallet = wallet(policy(allowAll() + "," + denyRule("{\"field_source\":\"reference\",\"field\":\"aggregation."
        + aggregation + "\",\"operator\":\"gt\",\"value\":\"25\"}")));
    assertSigned(sign(wallet, A, 20));
    assertDenied(sign(wallet, A, 10));

    deleteInTable("aggregation", aggregation);

    assertRefusedAsDeletedInTable(sign(wallet, A, 10));
  }

  @Test
  void aDeletedPolicyRefusesItsWallet() {
    final String policy = policy(allowAll());
    final String wallet = wallet(policy);
    assertSigned(sign(wallet, A, 1));

    deleteInTable("policy", policy);

    assertRefusedAsDeletedInTable(sign(wallet, A, 1));
  }

  @Test
  void aConditionSetStillInUseCannotBeDeleted() {
    final String set = blocklist();
    final String policy = policy(allowAll() + "," + denyRule("{\"field_source\":\"ethereum_transaction\","
        + "\"field\":\"to\",\"operator\":\"in_condition_set\",\"value\":\"" + set + "\"}"));

    assertInUse(api.send("DELETE", "/v1/condition_sets/" + set, null, Map.of()), policy);
    assertThat(api.get("/v1/condition_sets/" + set).status()).isEqualTo(200);

    // Once the rule is gone, so is the reference.
    final String ruleId = api.get("/v1/policies/" + policy).json().path("rules").get(1).path("id").asText();
    assertThat(api.send("DELETE", "/v1/policies/" + policy + "/rules/" + ruleId, null, Map.of()).status()).isEqualTo(200);
    assertThat(api.send("DELETE", "/v1/condition_sets/" + set, null, Map.of()).status()).isEqualTo(200);
  }

  @Test
  void anAggregationStillInUseCannotBeDeleted() {
    final String aggregation = aggregation();
    final String policy = policy(allowAll() + "," + denyRule("{\"field_source\":\"reference\",\"field\":\"aggregation."
        + aggregation + "\",\"operator\":\"gt\",\"value\":\"25\"}"));

    assertInUse(api.send("DELETE", "/v1/aggregations/" + aggregation, null, Map.of()), policy);
    assertThat(api.get("/v1/aggregations/" + aggregation).status()).isEqualTo(200);

    assertThat(api.send("DELETE", "/v1/policies/" + policy, null, Map.of()).status()).isEqualTo(200);
    assertThat(api.send("DELETE", "/v1/aggregations/" + aggregation, null, Map.of()).status()).isEqualTo(200);
  }

  @Test
  void aPolicyStillNamedByAWalletCannotBeDeleted() {
    final String policy = policy(allowAll());
    final String wallet = wallet(policy);

    assertInUse(api.send("DELETE", "/v1/policies/" + policy, null, Map.of()), wallet);
    assertSigned(sign(wallet, A, 1));

    final MandateHttp.Response patched = api.send("PATCH", "/v1/wallets/" + wallet, "{\"policy_ids\":[]}", Map.of());
    assertThat(patched.status()).as(patched.toString()).isEqualTo(200);
    assertThat(api.send("DELETE", "/v1/policies/" + policy, null, Map.of()).status()).isEqualTo(200);
  }

  @Test
  void aSignersOverridePolicyCannotBeDeleted() {
    final String policy = policy(allowAll());
    final String signer = ok200(api.post("/v1/key_quorums", "{\"public_keys\":[\"" + AuthKey.generate().publicKey() + "\"]}"))
        .path("id").asText();
    final String wallet = ok200(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"additional_signers\":[{\"signer_id\":\""
        + signer + "\",\"override_policy_ids\":[\"" + policy + "\"]}]}")).path("id").asText();

    assertInUse(api.send("DELETE", "/v1/policies/" + policy, null, Map.of()), wallet);
  }

  @Test
  void aPolicyCannotBeWrittenReferringToAConditionSetOrAggregationThatDoesNotExist() {
    for (final String condition : List.of(
        "{\"field_source\":\"ethereum_transaction\",\"field\":\"to\",\"operator\":\"in_condition_set\",\"value\":\"nosuchset00000000000000\"}",
        "{\"field_source\":\"reference\",\"field\":\"aggregation.nosuchaggregation000000\",\"operator\":\"gt\",\"value\":\"1\"}")) {
      final MandateHttp.Response refused = api.post("/v1/policies", "{\"version\":\"1.0\",\"name\":\"dangling\","
          + "\"chain_type\":\"ethereum\",\"rules\":[" + allowAll() + "," + denyRule(condition) + "]}");
      assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
      assertThat(refused.error()).contains("does not exist");
    }
  }

  // --- helpers ---

  private static String blocklist() {
    final String set = ok200(api.post("/v1/condition_sets", "{\"name\":\"blocked\"}")).path("id").asText();
    ok200(api.post("/v1/condition_sets/" + set + "/condition_set_items", "[{\"value\":\"" + BLOCKED + "\"}]"));
    return set;
  }

  private static String aggregation() {
    return ok200(api.post("/v1/aggregations", "{\"name\":\"daily value\",\"method\":\"eth_signTransaction\","
        + "\"metric\":{\"field_source\":\"ethereum_transaction\",\"field\":\"value\",\"function\":\"sum\"},"
        + "\"window\":{\"type\":\"rolling\",\"seconds\":86400}}")).path("id").asText();
  }

  private static String allowAll() {
    return "{\"name\":\"any value\",\"method\":\"eth_signTransaction\",\"action\":\"ALLOW\",\"conditions\":["
        + "{\"field_source\":\"ethereum_transaction\",\"field\":\"value\",\"operator\":\"gte\",\"value\":\"0\"}]}";
  }

  private static String denyRule(final String condition) {
    return "{\"name\":\"deny\",\"method\":\"eth_signTransaction\",\"action\":\"DENY\",\"conditions\":[" + condition + "]}";
  }

  private static String policy(final String rules) {
    return ok200(api.post("/v1/policies", "{\"version\":\"1.0\",\"name\":\"fail closed\",\"chain_type\":\"ethereum\",\"rules\":["
        + rules + "]}")).path("id").asText();
  }

  private static String wallet(final String policy) {
    return ok200(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"policy_ids\":[\"" + policy + "\"]}")).path("id").asText();
  }

  private static MandateHttp.Response sign(final String wallet, final String to, final long value) {
    return api.post("/v1/wallets/" + wallet + "/rpc", "{\"method\":\"eth_signTransaction\",\"params\":{\"transaction\":{"
        + "\"type\":2,\"chain_id\":1,\"nonce\":0,\"to\":\"" + to + "\",\"value\":\"0x" + BigInteger.valueOf(value).toString(16)
        + "\",\"gas_limit\":21000,\"max_fee_per_gas\":\"0x3b9aca00\",\"max_priority_fee_per_gas\":\"0x1\"}}}");
  }

  /** What a table writer does: removes the item, bypassing the API. */
  private static void deleteInTable(final String kind, final String id) {
    dynamo.deleteItem(b -> b.tableName(TABLE).key(Map.of("pk", AttributeValue.fromS("app#" + Stack.APP_ID),
        "sk", AttributeValue.fromS(kind + "#" + id))));
  }

  private static void assertSigned(final MandateHttp.Response response) {
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    assertThat(response.json().path("data").path("signed_transaction").asText()).startsWith("0x02");
  }

  private static void assertDenied(final MandateHttp.Response response) {
    assertThat(response.status()).as(response.toString()).isEqualTo(400);
    assertThat(response.code()).isEqualTo("policy_violation");
  }

  /**
   * A record deleted in the table while its anchor lives is an integrity failure (docs/security.md,
   * anchors): refused, nothing signed, no detail.
   */
  private static void assertRefusedAsDeletedInTable(final MandateHttp.Response response) {
    assertThat(response.status()).as(response.toString()).isEqualTo(500);
    assertThat(response.code()).isEqualTo("integrity_check_failed");
    assertThat(response.raw()).doesNotContain("signed_transaction");
  }

  private static void assertInUse(final MandateHttp.Response response, final String referrer) {
    assertThat(response.status()).as(response.toString()).isEqualTo(409);
    assertThat(response.code()).isEqualTo("resource_in_use");
    assertThat(response.error()).contains(referrer);
  }

}
