package dev.mandate.e2e;

import static dev.mandate.e2e.MandateHttp.ok200;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.testkit.AwsTestClients;
import java.net.URI;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A table writer edits stored recurring actions, as the attacker model allows (any item, any time,
 * older genuine items included), and adds due-index entries to make the worker act on them at once.
 * The enclave refuses every edited action: nothing is signed, the run records the refusal.
 */
class RecurringTamperingTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TABLE = "mandate";
  private static final String KIND = "recurring_action";
  private static final DateTimeFormatter MINUTE = DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(ZoneOffset.UTC);

  private static MandateHttp api;
  private static DynamoDbClient dynamo;
  private static AuthKey owner;

  @BeforeAll
  static void setUp() {
    api = Stack.get().client();
    dynamo = AwsTestClients.dynamoDb(URI.create(System.getProperty("aws.endpointUrl")));
    owner = AuthKey.generate();
  }

  @AfterAll
  static void close() {
    dynamo.close();
  }

  @Test
  void editingTheSignedRequestIsRefusedAndNothingIsSigned() throws Exception {
    final String action = activeAction("tamper-request", "rate(1 hour)");
    edit(action, doc -> {
      ((ObjectNode) doc.path("request").path("params")).put("message", "attacker's message");
      return dueNow(doc);
    });
    assertRefusedRun(action);
  }

  @Test
  void pointingTheActionAtAnotherWalletIsRefused() throws Exception {
    final String action = activeAction("tamper-wallet", "rate(1 hour)");
    final String other = ok200(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\"}")).path("id").asText();
    edit(action, doc -> dueNow(doc.put("wallet_id", other)));
    assertRefusedRun(action);
  }

  @Test
  void makingTheScheduleMoreFrequentIsRefused() throws Exception {
    final String action = activeAction("tamper-schedule", "rate(1 hour)");
    edit(action, doc -> dueNow(doc.put("schedule", "rate(1 second)")));
    assertRefusedRun(action);
  }

  @Test
  void raisingMaxRunsOfACompletedActionIsRefused() throws Exception {
    final String action = activeAction("tamper-max-runs", "rate(2 seconds)", ",\"max_runs\":1");
    runDue(action);
    assertThat(ok200(api.get(path(action))).path("status").asText()).isEqualTo("completed");
    edit(action, doc -> dueNow(doc.put("max_runs", 1000).put("status", "active")));
    Stack.get().tick();
    // The forged index entry and the edited action are refused by their anchors: only the genuine run.
    final JsonNode runs = runs(action);
    assertThat(runs).hasSize(1);
    assertThat(runs.get(0).path("outcome").asText()).isEqualTo("succeeded");
    assertReadRefused(action);
  }

  @Test
  void swappingInAnotherActionsWrappedKeyIsRefused() throws Exception {
    final String victim = activeAction("victim", "rate(1 hour)");
    final String mine = activeAction("mine", "rate(1 hour)");
    final String victimKey = doc(victim).path("wrapped_key").asText();
    edit(mine, doc -> dueNow(doc.put("wrapped_key", victimKey)));
    assertRefusedRun(mine);
  }

  @Test
  void aForgedActionReusingAnotherActionsSealedRecordAndKeySignsNothing() throws Exception {
    final String victim = activeAction("forged", "rate(1 hour)");
    final String forgedId = "forged" + Long.toString(System.nanoTime(), 36);
    final Map<String, AttributeValue> copy = new HashMap<>(item(victim));
    final ObjectNode doc = (ObjectNode) doc(victim);
    doc.put("id", forgedId).put("next_run_at", System.currentTimeMillis() - 1000);
    copy.put("sk", AttributeValue.fromS(KIND + "#" + forgedId));
    copy.put("doc", AttributeValue.fromS(doc.toString()));
    dynamo.putItem(b -> b.tableName(TABLE).item(copy));
    announce(forgedId, doc.path("next_run_at").asLong());
    Stack.get().tick();
    assertThat(runs(forgedId)).isEmpty();
    assertThat(runs(victim)).isEmpty();
    assertReadRefused(forgedId);
    assertThat(Stack.get().logs()).contains("enclave_integrity_refusal");
  }

  @Test
  void restoringAnOlderGenuineActionDoesNotSendItsRunAgain() throws Exception {
    final String action = activeAction("rollback", "rate(2 seconds)");
    final Map<String, AttributeValue> before = item(action);
    runDue(action);
    final JsonNode first = runs(action).get(0);
    assertThat(first.path("outcome").asText()).isEqualTo("succeeded");
    // Restore the action as it was before the run, delete the run record, announce the old time again.
    dynamo.putItem(b -> b.tableName(TABLE).item(before));
    dynamo.deleteItem(b -> b.tableName(TABLE).key(key("recurring_run", first.path("id").asText())));
    announce(action, first.path("scheduled_at").asLong());
    Stack.get().tick();
    // The restored action, the re-announced time and the deleted run all fail their anchors: the
    // run is not made again (no second signature), and the action's read is refused.
    assertThat(runs(action)).isEmpty();
    assertReadRefused(action);
  }

  /** An owned wallet, an action on it, and the owner's signed PATCH adding the action as its signer. */
  private static String activeAction(final String message, final String schedule) throws Exception {
    return activeAction(message, schedule, "");
  }

  private static String activeAction(final String message, final String schedule, final String extra) {
    final String wallet = ok200(api.post("/v1/wallets",
        "{\"chain_type\":\"ethereum\",\"owner\":{\"public_key\":\"" + owner.publicKey() + "\"}}")).path("id").asText();
    final JsonNode action = ok200(api.post("/v1/recurring_actions", "{\"wallet_id\":\"" + wallet + "\",\"schedule\":\"" + schedule
        + "\",\"request\":{\"method\":\"personal_sign\",\"params\":{\"message\":\"" + message + "\",\"encoding\":\"utf-8\"}}"
        + extra + "}"));
    ok200(api.signed("PATCH", "/v1/wallets/" + wallet,
        "{\"additional_signers\":[{\"signer_id\":\"" + action.path("signer_id").asText() + "\"}]}", owner));
    return action.path("id").asText();
  }

  private static void runDue(final String action) throws InterruptedException {
    final long due = ok200(api.get(path(action))).path("next_run_at").asLong();
    Thread.sleep(Math.max(0, due - System.currentTimeMillis() + 50));
    Stack.get().tick();
  }

  private static void assertRefusedRun(final String action) {
    Stack.get().tick();
    // The edited action and its forged index entry fail their anchors: nothing runs, nothing is
    // signed, the read is refused, and the operators' alarm is raised.
    assertThat(runs(action)).as("no run").isEmpty();
    assertReadRefused(action);
    assertThat(Stack.get().logs()).contains("enclave_integrity_refusal");
  }

  private static void assertReadRefused(final String action) {
    final MandateHttp.Response read = api.get(path(action));
    assertThat(read.status()).as(read.toString()).isEqualTo(500);
    assertThat(read.json().path("code").asText()).isEqualTo("integrity_check_failed");
  }

  /** The edited action is due now, and announced in the due index so the next tick delivers it. */
  private static ObjectNode dueNow(final ObjectNode doc) {
    final long now = System.currentTimeMillis() - 1000;
    doc.put("next_run_at", now);
    announce(doc.path("id").asText(), now);
    return doc;
  }

  private static void announce(final String actionId, final long scheduledAt) {
    final String partition = "_due." + MINUTE.format(Instant.ofEpochMilli(scheduledAt)) + "." + Math.floorMod(actionId.hashCode(), 16);
    final String id = String.format("%013d", scheduledAt) + "." + actionId + ".forged";
    final Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", AttributeValue.fromS("app#" + partition));
    item.put("sk", AttributeValue.fromS("recurring_due#" + id));
    item.put("doc", AttributeValue.fromS("{\"app_id\":\"" + Stack.APP_ID + "\",\"action_id\":\"" + actionId
        + "\",\"scheduled_at\":" + scheduledAt + "}"));
    item.put("ver", AttributeValue.fromN("1"));
    dynamo.putItem(b -> b.tableName(TABLE).item(item));
  }

  private static String path(final String action) {
    return "/v1/recurring_actions/" + action;
  }

  /**
   * The action's run records as the table holds them (read directly: the API refuses to show an
   * action whose record fails its anchor, and these tests must see what ran regardless).
   */
  private static JsonNode runs(final String action) {
    final com.fasterxml.jackson.databind.node.ArrayNode runs = JSON.createArrayNode();
    dynamo.queryPaginator(b -> b.tableName(TABLE).consistentRead(true)
            .keyConditionExpression("pk = :pk AND begins_with(sk, :sk)")
            .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("app#" + Stack.APP_ID),
                ":sk", AttributeValue.fromS("recurring_run#" + action + "."))))
        .items().forEach(item -> {
          try {
            runs.add(JSON.readTree(item.get("doc").s()));
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
    return runs;
  }

  private static Map<String, AttributeValue> key(final String kind, final String id) {
    return Map.of("pk", AttributeValue.fromS("app#" + Stack.APP_ID), "sk", AttributeValue.fromS(kind + "#" + id));
  }

  private static Map<String, AttributeValue> item(final String id) {
    final Map<String, AttributeValue> item = dynamo.getItem(b -> b.tableName(TABLE).key(key(KIND, id)).consistentRead(true)).item();
    assertThat(item).as(id).isNotEmpty();
    return item;
  }

  private static JsonNode doc(final String id) {
    try {
      return JSON.readTree(item(id).get("doc").s());
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Rewrites the stored document directly (the seal attribute stays), as a table writer would. */
  private static void edit(final String id, final UnaryOperator<ObjectNode> change) {
    final Map<String, AttributeValue> item = new HashMap<>(item(id));
    item.put("doc", AttributeValue.fromS(change.apply((ObjectNode) doc(id)).toString()));
    dynamo.putItem(b -> b.tableName(TABLE).item(item));
  }
}
