package dev.mandate.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.store.Anchors;
import dev.mandate.store.Item;
import dev.mandate.testkit.AwsTestClients;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ScanResponse;

/**
 * The attacker of docs/security.md: writes any item of the main table at any time through the
 * DynamoDB API (edits, deletes, puts back older genuine items or a whole earlier scan), and nothing
 * else: not the anchor table, not the code, not KMS.
 */
final class TableAttacker implements AutoCloseable {
  static final String TABLE = "mandate";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final DynamoDbClient dynamo = AwsTestClients.dynamoDb(URI.create(System.getProperty("aws.endpointUrl")));

  static Map<String, AttributeValue> key(final String appId, final String kind, final String id) {
    return Map.of("pk", AttributeValue.fromS("app#" + appId), "sk", AttributeValue.fromS(kind + "#" + id));
  }

  /** The stored item, or an empty map. */
  Map<String, AttributeValue> item(final String appId, final String kind, final String id) {
    return Map.copyOf(dynamo.getItem(b -> b.tableName(TABLE).key(key(appId, kind, id)).consistentRead(true)).item());
  }

  ObjectNode doc(final Map<String, AttributeValue> item) {
    try {
      return (ObjectNode) JSON.readTree(item.get("doc").s());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  void put(final Map<String, AttributeValue> item) {
    dynamo.putItem(b -> b.tableName(TABLE).item(item));
  }

  /**
   * Puts {@code item} and an anchor that matches it: a stronger attacker than the model's, one who
   * can write the anchor table too (docs/security.md, "What remains").
   */
  void putWithAnchor(final Map<String, AttributeValue> item) {
    put(item);
    final String sk = item.get("sk").s();
    final Map<String, String> attrs = new HashMap<>();
    item.forEach((name, value) -> {
      if (value.s() != null && !List.of("pk", "sk", "doc", "ver", "ttl").contains(name)) {
        attrs.put(name, value.s());
      }
    });
    final Item parsed = new Item(item.get("pk").s().substring("app#".length()), sk.substring(0, sk.indexOf('#')),
        sk.substring(sk.indexOf('#') + 1), item.get("doc").s(), Long.parseLong(item.get("ver").n()), attrs);
    dynamo.putItem(b -> b.tableName(TABLE + "-anchor").item(Map.of("pk", item.get("pk"), "sk", item.get("sk"),
        "dig", AttributeValue.fromS(Anchors.digest(parsed)), "ver", item.get("ver"))));
  }

  void delete(final String appId, final String kind, final String id) {
    dynamo.deleteItem(b -> b.tableName(TABLE).key(key(appId, kind, id)));
  }

  /** Rewrites the stored document (attributes kept), returning the item as it was. */
  Map<String, AttributeValue> editDoc(final String appId, final String kind, final String id, final UnaryOperator<ObjectNode> edit) {
    final Map<String, AttributeValue> before = item(appId, kind, id);
    final Map<String, AttributeValue> after = new HashMap<>(before);
    after.put("doc", AttributeValue.fromS(edit.apply(doc(before)).toString()));
    put(after);
    return before;
  }

  /** Every item of one app whose sort key starts with {@code kind#}, keyed by sort key. */
  Map<String, Map<String, AttributeValue>> ofKind(final String appId, final String kind) {
    final Map<String, Map<String, AttributeValue>> found = new LinkedHashMap<>();
    Map<String, AttributeValue> start = null;
    do {
      final Map<String, AttributeValue> from = start;
      final QueryResponse page = dynamo.query(b -> b.tableName(TABLE).consistentRead(true)
          .keyConditionExpression("pk = :pk AND begins_with(sk, :kind)")
          .expressionAttributeValues(Map.of(":pk", AttributeValue.fromS("app#" + appId), ":kind", AttributeValue.fromS(kind + "#")))
          .exclusiveStartKey(from));
      page.items().forEach(item -> found.put(item.get("sk").s(), item));
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    } while (start != null);
    return found;
  }

  /** Every item of the whole table (a backup), keyed by pk and sk. */
  Map<List<String>, Map<String, AttributeValue>> scan() {
    final Map<List<String>, Map<String, AttributeValue>> found = new LinkedHashMap<>();
    Map<String, AttributeValue> start = null;
    do {
      final Map<String, AttributeValue> from = start;
      final ScanResponse page = dynamo.scan(b -> b.tableName(TABLE).consistentRead(true).exclusiveStartKey(from));
      page.items().forEach(item -> found.put(List.of(item.get("pk").s(), item.get("sk").s()), item));
      start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
    } while (start != null);
    return found;
  }

  /**
   * Makes the table hold exactly {@code backup} (as a restore of a whole-table backup would), writing
   * only what differs. Returns the keys it changed.
   */
  List<List<String>> restore(final Map<List<String>, Map<String, AttributeValue>> backup) {
    final Map<List<String>, Map<String, AttributeValue>> now = scan();
    final List<List<String>> changed = new ArrayList<>();
    backup.forEach((key, item) -> {
      if (!item.equals(now.get(key))) {
        put(item);
        changed.add(key);
      }
    });
    now.keySet().stream().filter(key -> !backup.containsKey(key)).forEach(key -> {
      dynamo.deleteItem(b -> b.tableName(TABLE).key(Map.of("pk", AttributeValue.fromS(key.get(0)), "sk", AttributeValue.fromS(key.get(1)))));
      changed.add(key);
    });
    return changed;
  }

  @Override
  public void close() {
    dynamo.close();
  }
}
