package dev.mandate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mandate.testkit.AwsTestClients;
import java.math.BigInteger;
import java.net.URI;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Signers and policies over HTTP: a wallet owned by a key, an app signer held to an override policy,
 * a second signer without one, and the owner held to the wallet's policy.
 */
class PolicyTest {
  private static final String ALLOWED_TO = "0x1111111111111111111111111111111111111111";
  private static final String OTHER_TO = "0x2222222222222222222222222222222222222222";
  private static final String TOKEN = "0x3333333333333333333333333333333333333333";
  private static final String CONTRACT = "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC";
  private static final String DEAD = "0x000000000000000000000000000000000000dEaD";
  private static final String TRANSFER_ABI = "[{\"type\":\"function\",\"name\":\"transfer\",\"stateMutability\":\"nonpayable\","
      + "\"inputs\":[{\"name\":\"to\",\"type\":\"address\"},{\"name\":\"amount\",\"type\":\"uint256\"}],"
      + "\"outputs\":[{\"name\":\"\",\"type\":\"bool\"}]}]";

  private static MandateHttp api;
  private static AuthKey owner;
  private static AuthKey agent;
  private static AuthKey helper;
  private static String agentQuorum;
  private static String helperQuorum;
  private static String agentPolicy;
  private static String wallet;

  @BeforeAll
  static void setUp() {
    api = Stack.get().client();
    owner = AuthKey.generate();
    agent = AuthKey.generate();
    helper = AuthKey.generate();
    agentQuorum = ok(api.post("/v1/key_quorums", "{\"public_keys\":[\"" + agent.publicKey() + "\"],\"display_name\":\"agent\"}")).path("id").asText();
    helperQuorum = ok(api.post("/v1/key_quorums", "{\"public_keys\":[\"" + helper.publicKey() + "\"]}")).path("id").asText();
    final long now = Instant.now().getEpochSecond();
    agentPolicy = ok(api.post("/v1/policies", policy("agent scope", now - 3600, now + 3600))).path("id").asText();
    final String ownerPolicy = ok(api.post("/v1/policies", "{\"version\":\"1.0\",\"name\":\"owner messages only\","
        + "\"chain_type\":\"ethereum\",\"rules\":[{\"name\":\"messages\",\"method\":\"personal_sign\",\"action\":\"ALLOW\","
        + "\"conditions\":[]}]}")).path("id").asText();
    wallet = ok(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"owner\":{\"public_key\":\"" + owner.publicKey()
        + "\"},\"policy_ids\":[\"" + ownerPolicy + "\"],\"additional_signers\":[{\"signer_id\":\"" + agentQuorum
        + "\",\"override_policy_ids\":[\"" + agentPolicy + "\"]},{\"signer_id\":\"" + helperQuorum + "\"}]}")).path("id").asText();
  }

  /** ETH ≤ 0.01 only to one address; ERC-20 transfer ≤ 1,000,000 on one token; typed data for one contract; a time window. */
  private static String policy(final String name, final long start, final long end) {
    return "{\"version\":\"1.0\",\"name\":\"" + name + "\",\"chain_type\":\"ethereum\",\"owner\":{\"public_key\":\""
        + owner.publicKey() + "\"},\"rules\":["
        + "{\"name\":\"small ETH to treasury\",\"method\":\"eth_signTransaction\",\"action\":\"ALLOW\",\"conditions\":["
        + "{\"field_source\":\"ethereum_transaction\",\"field\":\"to\",\"operator\":\"eq\",\"value\":\"" + ALLOWED_TO + "\"},"
        + "{\"field_source\":\"ethereum_transaction\",\"field\":\"value\",\"operator\":\"lte\",\"value\":\"0x2386F26FC10000\"}]},"
        + "{\"name\":\"token transfer cap\",\"method\":\"eth_signTransaction\",\"action\":\"ALLOW\",\"conditions\":["
        + "{\"field_source\":\"ethereum_transaction\",\"field\":\"to\",\"operator\":\"eq\",\"value\":\"" + TOKEN.toUpperCase().replace("0X", "0x") + "\"},"
        + "{\"field_source\":\"ethereum_calldata\",\"field\":\"transfer.amount\",\"operator\":\"lte\",\"value\":\"1000000\",\"abi\":" + TRANSFER_ABI + "}]},"
        + "{\"name\":\"one verifying contract\",\"method\":\"eth_signTypedData_v4\",\"action\":\"ALLOW\",\"conditions\":["
        + "{\"field_source\":\"ethereum_typed_data_domain\",\"field\":\"verifyingContract\",\"operator\":\"eq\",\"value\":\"" + CONTRACT + "\"}]},"
        + "{\"name\":\"never the burn address\",\"method\":\"*\",\"action\":\"DENY\",\"conditions\":["
        + "{\"field_source\":\"ethereum_transaction\",\"field\":\"to\",\"operator\":\"eq\",\"value\":\"" + DEAD + "\"}]},"
        + "{\"name\":\"not before start\",\"method\":\"*\",\"action\":\"DENY\",\"conditions\":["
        + "{\"field_source\":\"system\",\"field\":\"current_unix_timestamp\",\"operator\":\"lt\",\"value\":\"" + start + "\"}]},"
        + "{\"name\":\"not after end\",\"method\":\"*\",\"action\":\"DENY\",\"conditions\":["
        + "{\"field_source\":\"system\",\"field\":\"current_unix_timestamp\",\"operator\":\"gt\",\"value\":\"" + end + "\"}]}]}";
  }

  private static String tx(final String to, final BigInteger value, final String data) {
    return "{\"method\":\"eth_signTransaction\",\"params\":{\"transaction\":{\"type\":2,\"chain_id\":1,\"nonce\":0,\"to\":\""
        + to + "\",\"value\":\"0x" + value.toString(16) + "\",\"data\":\"" + data + "\",\"gas_limit\":60000,"
        + "\"max_fee_per_gas\":\"0x3b9aca00\",\"max_priority_fee_per_gas\":\"0x1\"}}}";
  }

  private static String transfer(final long amount) {
    return "0xa9059cbb" + "0".repeat(24) + ALLOWED_TO.substring(2) + String.format("%064x", amount);
  }

  private static String typedData(final String verifyingContract) {
    return "{\"method\":\"eth_signTypedData_v4\",\"params\":{\"typed_data\":{\"domain\":{\"name\":\"Orders\",\"version\":\"1\","
        + "\"chainId\":1,\"verifyingContract\":\"" + verifyingContract + "\"},\"types\":{\"Order\":[{\"name\":\"amount\",\"type\":\"uint256\"}]},"
        + "\"primary_type\":\"Order\",\"message\":{\"amount\":\"5\"}}}}";
  }

  private static final String MESSAGE = "{\"method\":\"personal_sign\",\"params\":{\"message\":\"hi\",\"encoding\":\"utf-8\"}}";
  private static final BigInteger SMALL = new BigInteger("5000000000000000");
  private static final BigInteger LARGE = new BigInteger("20000000000000000");

  private static String rpc(final String w) {
    return "/v1/wallets/" + w + "/rpc";
  }

  @Test
  void theSignerSignsWhatItsPolicyAllows() {
    assertSigned(api.signed("POST", rpc(wallet), tx(ALLOWED_TO, SMALL, "0x"), agent));
    assertSigned(api.signed("POST", rpc(wallet), tx(TOKEN, BigInteger.ZERO, transfer(500_000)), agent));
    assertSigned(api.signed("POST", rpc(wallet), typedData(CONTRACT), agent));
  }

  @Test
  void everythingElseIsAPolicyViolationThatNamesTheRule() {
    assertDenied(api.signed("POST", rpc(wallet), tx(ALLOWED_TO, LARGE, "0x"), agent), null);
    assertDenied(api.signed("POST", rpc(wallet), tx(OTHER_TO, SMALL, "0x"), agent), null);
    assertDenied(api.signed("POST", rpc(wallet), tx(TOKEN, BigInteger.ZERO, transfer(2_000_000)), agent), null);
    assertDenied(api.signed("POST", rpc(wallet), typedData("0x4444444444444444444444444444444444444444"), agent), null);
    assertDenied(api.signed("POST", rpc(wallet), MESSAGE, agent), null);
    assertDenied(api.signed("POST", rpc(wallet), tx(DEAD, BigInteger.ONE, "0x"), agent), "never the burn address");
  }

  @Test
  void outsideTheTimeWindowTheSignerIsDenied() {
    final long now = Instant.now().getEpochSecond();
    final String expired = ok(api.post("/v1/policies", policy("expired window", now - 7200, now - 3600))).path("id").asText();
    final AuthKey late = AuthKey.generate();
    final String lateQuorum = ok(api.post("/v1/key_quorums", "{\"public_keys\":[\"" + late.publicKey() + "\"]}")).path("id").asText();
    final String w = ok(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"owner\":{\"public_key\":\"" + owner.publicKey()
        + "\"},\"additional_signers\":[{\"signer_id\":\"" + lateQuorum + "\",\"override_policy_ids\":[\"" + expired + "\"]}]}")).path("id").asText();
    assertDenied(api.signed("POST", rpc(w), tx(ALLOWED_TO, SMALL, "0x"), late), "not after end");
  }

  @Test
  void theOwnerIsHeldToTheWalletsPolicyAndTheOverrideDoesNotLeak() {
    assertSigned(api.signed("POST", rpc(wallet), MESSAGE, owner));
    assertDenied(api.signed("POST", rpc(wallet), tx(ALLOWED_TO, SMALL, "0x"), owner), null);
    // The helper signer has no override policy: no policy applies to it, whatever the agent's says.
    assertSigned(api.signed("POST", rpc(wallet), tx(OTHER_TO, LARGE, "0x"), helper));
    assertDenied(api.signed("POST", rpc(wallet), tx(OTHER_TO, LARGE, "0x"), agent), null);
  }

  @Test
  void dryRunReturnsTheDecisionWithoutSigning() {
    final MandateHttp.Response allow = api.signed("POST", rpc(wallet) + "/dry_run", tx(ALLOWED_TO, SMALL, "0x"), agent);
    assertThat(allow.status()).as(allow.toString()).isEqualTo(200);
    assertThat(allow.json().path("policy_decision").path("decision").asText()).isEqualTo("ALLOW");
    assertThat(allow.json().path("policy_decision").path("rule").path("name").asText()).isEqualTo("small ETH to treasury");
    assertThat(allow.json().has("data")).isFalse();
    final MandateHttp.Response deny = api.signed("POST", rpc(wallet) + "/dry_run", tx(DEAD, SMALL, "0x"), agent);
    assertThat(deny.status()).isEqualTo(200);
    assertThat(deny.json().path("policy_decision").path("decision").asText()).isEqualTo("DENY");
    assertThat(deny.json().path("policy_decision").path("party").path("type").asText()).isEqualTo("signer");
  }

  @Test
  void aSignerCannotChangeTheWalletItsPolicyOrTheOwner() {
    assertThat(api.signed("PATCH", "/v1/wallets/" + wallet, "{\"additional_signers\":[]}", agent).status()).isEqualTo(401);
    assertThat(api.signed("PATCH", "/v1/wallets/" + wallet, "{\"owner_id\":null}", agent).status()).isEqualTo(401);
    assertThat(api.signed("PATCH", "/v1/wallets/" + wallet, "{\"policy_ids\":[]}", agent).status()).isEqualTo(401);
    assertThat(api.signed("PATCH", "/v1/policies/" + agentPolicy, "{\"rules\":[]}", agent).status()).isEqualTo(401);
    assertThat(api.signed("DELETE", "/v1/policies/" + agentPolicy, null, agent).status()).isEqualTo(401);
    assertThat(api.get("/v1/wallets/" + wallet).json().path("additional_signers")).hasSize(2);
  }

  @Test
  void removingASignerRevokesItAtTheNextRequest() {
    final AuthKey temp = AuthKey.generate();
    final String tempQuorum = ok(api.post("/v1/key_quorums", "{\"public_keys\":[\"" + temp.publicKey() + "\"]}")).path("id").asText();
    final String w = ok(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"owner\":{\"public_key\":\"" + owner.publicKey()
        + "\"},\"additional_signers\":[{\"signer_id\":\"" + tempQuorum + "\"}]}")).path("id").asText();
    assertSigned(api.signed("POST", rpc(w), MESSAGE, temp));
    ok(api.signed("PATCH", "/v1/wallets/" + w, "{\"additional_signers\":[]}", owner));
    final MandateHttp.Response refused = api.signed("POST", rpc(w), MESSAGE, temp);
    assertThat(refused.status()).as(refused.toString()).isEqualTo(401);
  }

  @Test
  void theOwnerEditsRulesAndAnInvalidRuleNamesTheField() {
    final String id = ok(api.post("/v1/policies", policy("editable", 0, 4_000_000_000L))).path("id").asText();
    final MandateHttp.Response rule = api.signed("POST", "/v1/policies/" + id + "/rules",
        "{\"name\":\"allow messages\",\"method\":\"personal_sign\",\"action\":\"ALLOW\",\"conditions\":[]}", owner);
    assertThat(rule.status()).as(rule.toString()).isEqualTo(200);
    final String ruleId = rule.json().path("id").asText();
    assertThat(api.get("/v1/policies/" + id + "/rules/" + ruleId).json().path("name").asText()).isEqualTo("allow messages");
    assertThat(api.post("/v1/policies/" + id + "/rules", "{\"name\":\"x\",\"method\":\"personal_sign\",\"action\":\"ALLOW\",\"conditions\":[]}").status())
        .isEqualTo(401);
    final MandateHttp.Response invalid = api.post("/v1/policies", "{\"version\":\"1.0\",\"name\":\"bad\",\"chain_type\":\"ethereum\","
        + "\"rules\":[{\"name\":\"" + "n".repeat(51) + "\",\"method\":\"personal_sign\",\"action\":\"ALLOW\",\"conditions\":[]}]}");
    assertThat(invalid.status()).isEqualTo(400);
    assertThat(invalid.code()).isEqualTo("invalid_policy_format");
    assertThat(invalid.error()).contains("rules[0].name");
    assertThat(api.signed("DELETE", "/v1/policies/" + id + "/rules/" + ruleId, null, owner).json().path("success").asBoolean()).isTrue();
    assertThat(api.get("/v1/policies/" + id + "/rules/" + ruleId).status()).isEqualTo(404);
  }

  @Test
  void conditionSetsWidenAnAllowListWithoutEditingThePolicy() {
    final String set = ok(api.post("/v1/condition_sets", "{\"name\":\"payees\",\"owner\":{\"public_key\":\"" + owner.publicKey() + "\"}}")).path("id").asText();
    final String id = ok(api.post("/v1/policies", "{\"version\":\"1.0\",\"name\":\"payees only\",\"chain_type\":\"ethereum\",\"rules\":["
        + "{\"name\":\"to a payee\",\"method\":\"eth_signTransaction\",\"action\":\"ALLOW\",\"conditions\":["
        + "{\"field_source\":\"ethereum_transaction\",\"field\":\"to\",\"operator\":\"in_condition_set\",\"value\":\"" + set + "\"}]}]}")).path("id").asText();
    final String w = ok(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"policy_ids\":[\"" + id + "\"]}")).path("id").asText();
    assertThat(api.post(rpc(w), tx(OTHER_TO, SMALL, "0x")).code()).isEqualTo("policy_violation");
    assertThat(api.post("/v1/condition_sets/" + set + "/condition_set_items", "[{\"value\":\"" + OTHER_TO + "\"}]").status()).isEqualTo(401);
    final MandateHttp.Response added = api.signed("POST", "/v1/condition_sets/" + set + "/condition_set_items",
        "[{\"value\":\"" + OTHER_TO + "\"}]", owner);
    assertThat(added.status()).as(added.toString()).isEqualTo(200);
    assertSigned(api.post(rpc(w), tx(OTHER_TO, SMALL, "0x")));
  }

  @Test
  void loosingAPolicyInTheTableIsRefused() {
    final String id = ok(api.post("/v1/policies", policy("tamper target", 0, 4_000_000_000L))).path("id").asText();
    final AuthKey bot = AuthKey.generate();
    final String botQuorum = ok(api.post("/v1/key_quorums", "{\"public_keys\":[\"" + bot.publicKey() + "\"]}")).path("id").asText();
    final String w = ok(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"owner\":{\"public_key\":\"" + owner.publicKey()
        + "\"},\"additional_signers\":[{\"signer_id\":\"" + botQuorum + "\",\"override_policy_ids\":[\"" + id + "\"]}]}")).path("id").asText();
    assertDenied(api.signed("POST", rpc(w), tx(ALLOWED_TO, LARGE, "0x"), bot), null);
    try (DynamoDbClient dynamo = AwsTestClients.dynamoDb(URI.create(System.getProperty("aws.endpointUrl")))) {
      final Map<String, AttributeValue> key = Map.of("pk", AttributeValue.fromS("app#" + Stack.APP_ID),
          "sk", AttributeValue.fromS("policy#" + id));
      final Map<String, AttributeValue> item = new HashMap<>(dynamo.getItem(b -> b.tableName("mandate").key(key)).item());
      item.put("doc", AttributeValue.fromS(item.get("doc").s().replace("0x2386F26FC10000", "0xFFFFFFFFFFFFFFFFFFFF")));
      dynamo.putItem(b -> b.tableName("mandate").item(item));
    }
    final MandateHttp.Response refused = api.signed("POST", rpc(w), tx(ALLOWED_TO, LARGE, "0x"), bot);
    assertThat(refused.status()).as(refused.toString()).isEqualTo(500);
    assertThat(refused.code()).isEqualTo("integrity_check_failed");
  }

  private static void assertSigned(final MandateHttp.Response response) {
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    assertThat(response.json().path("data").isObject()).isTrue();
  }

  private static void assertDenied(final MandateHttp.Response response, final String ruleName) {
    assertThat(response.status()).as(response.toString()).isEqualTo(400);
    assertThat(response.error()).isEqualTo("RPC request denied due to policy violation");
    assertThat(response.code()).isEqualTo("policy_violation");
    assertThat(response.json().path("policy_decision").path("decision").asText()).isEqualTo("DENY");
    if (ruleName != null) {
      assertThat(response.json().path("policy_decision").path("rule").path("name").asText()).isEqualTo(ruleName);
      assertThat(response.json().path("policy_decision").path("rule").path("id").asText()).isNotBlank();
    } else {
      assertThat(response.json().path("policy_decision").path("reason").asText()).isNotBlank();
    }
  }

  private static com.fasterxml.jackson.databind.JsonNode ok(final MandateHttp.Response response) {
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.json();
  }
}
