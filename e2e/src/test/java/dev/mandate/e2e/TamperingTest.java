package dev.mandate.e2e;

import static dev.mandate.e2e.MandateHttp.rpc;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.testkit.AwsTestClients;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A write to DynamoDB alone must never let anyone sign: each tampering case below edits the table
 * directly, the next request that uses the record is refused, and the refusal changes nothing.
 */
class TamperingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TABLE = "mandate";
  private static final String SIGN_BODY =
      "{\"method\":\"personal_sign\",\"params\":{\"message\":\"tamper\",\"encoding\":\"utf-8\"}}";

  private static MandateHttp api;
  private static DynamoDbClient dynamo;
  private static AuthKey owner;
  private static AuthKey attacker;
  private static String attackerQuorum;

  @BeforeAll
  static void setUp() {
    api = Stack.get().client();
    dynamo = AwsTestClients.dynamoDb(URI.create(System.getProperty("aws.endpointUrl")));
    owner = AuthKey.generate();
    attacker = AuthKey.generate();
    // The attacker legitimately owns a quorum of their own in the same app.
    attackerQuorum = api.post("/v1/key_quorums", "{\"public_keys\":[\"" + attacker.publicKey() + "\"]}").json().path("id").asText();
  }

  @AfterAll
  static void close() {
    dynamo.close();
  }

  /** Genuine items this test overwrote, put back afterwards so the shared app's lists stay readable. */
  private static final List<Map<String, AttributeValue>> ORIGINALS = new ArrayList<>();

  @AfterEach
  void restoreGenuineItems() {
    ORIGINALS.forEach(item -> dynamo.putItem(b -> b.tableName(TABLE).item(item)));
    ORIGINALS.clear();
  }

  private static void overwrite(final Map<String, AttributeValue> item) {
    ORIGINALS.add(0, item(item.get("sk").s().substring(0, item.get("sk").s().indexOf('#')),
        item.get("sk").s().substring(item.get("sk").s().indexOf('#') + 1)));
    dynamo.putItem(b -> b.tableName(TABLE).item(item));
  }

  private static String ownedWallet() {
    final MandateHttp.Response created = api.post("/v1/wallets",
        "{\"chain_type\":\"ethereum\",\"owner\":{\"public_key\":\"" + owner.publicKey() + "\"}}");
    assertThat(created.status()).as(created.toString()).isEqualTo(200);
    assertThat(api.signed("POST", rpc(created.json().path("id").asText()), SIGN_BODY, owner).status()).isEqualTo(200);
    return created.json().path("id").asText();
  }

  @Test
  void swappingAWalletsOwnerInTheTableIsRefused() {
    final String wallet = ownedWallet();
    editDoc("wallet", wallet, doc -> doc.put("owner_id", attackerQuorum));
    assertIntegrityRefusal(api.signed("POST", rpc(wallet), SIGN_BODY, attacker));
    assertIntegrityRefusal(api.signed("PATCH", "/v1/wallets/" + wallet, "{\"owner_id\":null}", attacker));
    assertThat(doc("wallet", wallet).path("owner_id").asText()).isEqualTo(attackerQuorum);
  }

  @Test
  void removingAWalletsOwnerInTheTableIsRefused() {
    final String wallet = ownedWallet();
    editDoc("wallet", wallet, doc -> doc.putNull("owner_id"));
    assertIntegrityRefusal(api.post(rpc(wallet), SIGN_BODY));
  }

  @Test
  void addingAKeyToTheOwnersQuorumInTheTableIsRefused() {
    final String wallet = ownedWallet();
    final String quorum = doc("wallet", wallet).path("owner_id").asText();
    editDoc("key_quorum", quorum, doc -> {
      ((ArrayNode) doc.path("public_keys")).add(attacker.publicKey());
      doc.put("authorization_threshold", 1);
      return doc;
    });
    assertIntegrityRefusal(api.signed("POST", rpc(wallet), SIGN_BODY, attacker));
  }

  @Test
  void injectingASignerInTheTableIsRefused() {
    final String wallet = ownedWallet();
    editDoc("wallet", wallet, doc -> {
      ((ArrayNode) doc.path("additional_signers")).addObject().put("signer_id", attackerQuorum).putArray("override_policy_ids");
      return doc;
    });
    assertIntegrityRefusal(api.signed("POST", rpc(wallet), SIGN_BODY, attacker));
  }

  @Test
  void copyingAWrappedKeyOntoAnotherWalletIsRefused() {
    final String victim = ownedWallet();
    final MandateHttp.Response mine = api.post("/v1/wallets", "{\"chain_type\":\"ethereum\"}");
    final String attackerWallet = mine.json().path("id").asText();
    final String victimKey = doc("wallet", victim).path("wrapped_key").asText();
    editDoc("wallet", attackerWallet, doc -> doc.put("wrapped_key", victimKey));
    assertIntegrityRefusal(api.post(rpc(attackerWallet), SIGN_BODY));
  }

  @Test
  void copyingASolanaWalletsWrappedKeyOntoAnotherSolanaWalletIsRefused() {
    final String victim = api.post("/v1/wallets", "{\"chain_type\":\"solana\",\"owner\":{\"public_key\":\""
        + owner.publicKey() + "\"}}").json().path("id").asText();
    final String attackerWallet = api.post("/v1/wallets", "{\"chain_type\":\"solana\"}").json().path("id").asText();
    editDoc("wallet", attackerWallet, doc -> doc.put("wrapped_key", doc("wallet", victim).path("wrapped_key").asText()));
    assertIntegrityRefusal(api.post(rpc(attackerWallet),
        "{\"method\":\"signMessage\",\"params\":{\"message\":\"aGk=\",\"encoding\":\"base64\"}}"));
  }

  @Test
  void copyingAWholeSealedRecordUnderAnotherIdIsRefused() {
    final String ownerless = api.post("/v1/wallets", "{\"chain_type\":\"ethereum\"}").json().path("id").asText();
    final String victim = ownedWallet();
    // The attacker replaces the victim's item with their ownerless wallet's document and seal.
    final Map<String, AttributeValue> source = item("wallet", ownerless);
    final Map<String, AttributeValue> target = new HashMap<>(item("wallet", victim));
    target.put("doc", source.get("doc"));
    target.put("seal", source.get("seal"));
    overwrite(target);
    assertIntegrityRefusal(api.post(rpc(victim), SIGN_BODY));
  }

  private static void assertIntegrityRefusal(final MandateHttp.Response response) {
    assertThat(response.status()).as(response.toString()).isEqualTo(500);
    assertThat(response.code()).isEqualTo("integrity_check_failed");
    assertThat(response.raw()).doesNotContain("wk1:").doesNotContain("wrapped_key");
    assertThat(Stack.get().logs()).contains("enclave_integrity_refusal");
  }

  private static Map<String, AttributeValue> key(final String kind, final String id) {
    return Map.of("pk", AttributeValue.fromS("app#" + Stack.APP_ID), "sk", AttributeValue.fromS(kind + "#" + id));
  }

  private static Map<String, AttributeValue> item(final String kind, final String id) {
    final Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(TABLE).key(key(kind, id)).consistentRead(true)).item();
    assertThat(item).as(kind + " " + id).isNotEmpty();
    return item;
  }

  private static JsonNode doc(final String kind, final String id) {
    try {
      return JSON.readTree(item(kind, id).get("doc").s());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Rewrites the stored document directly, as someone with table access but no enclave would. */
  private static void editDoc(final String kind, final String id, final UnaryOperator<ObjectNode> edit) {
    final Map<String, AttributeValue> item = new HashMap<>(item(kind, id));
    final ObjectNode doc = (ObjectNode) doc(kind, id);
    item.put("doc", AttributeValue.fromS(edit.apply(doc).toString()));
    overwrite(item);
  }
}
