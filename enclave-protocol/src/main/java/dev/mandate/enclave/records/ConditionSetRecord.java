package dev.mandate.enclave.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A condition set: a named list of values (typically addresses) that policy conditions test with
 * {@code in_condition_set}. Sealed like a policy, since adding a value widens every policy that uses it.
 */
public record ConditionSetRecord(String id, String name, Optional<String> ownerId, List<Item> items, long createdAt) {
  public static final String KIND = "condition_set";

  public ConditionSetRecord {
    items = List.copyOf(items);
  }

  /** One value of the set. */
  public record Item(String id, String value, long createdAt) {
    public ObjectNode toJson() {
      return Docs.object().put("id", id).put("value", value).put("created_at", createdAt);
    }
  }

  public List<String> values() {
    return items.stream().map(Item::value).toList();
  }

  public ObjectNode toApiJson() {
    return Docs.object().put("id", id).put("name", name).put("owner_id", ownerId.orElse(null))
        .put("created_at", createdAt);
  }

  public ObjectNode itemsJson() {
    final ObjectNode out = Docs.object();
    final ArrayNode data = out.putArray("data");
    items.forEach(i -> data.add(i.toJson()));
    return out;
  }

  public String toDoc() {
    final ObjectNode n = toApiJson();
    final ArrayNode array = n.putArray("items");
    items.forEach(i -> array.add(i.toJson()));
    return n.toString();
  }

  public static ConditionSetRecord fromDoc(final String doc) {
    final ObjectNode n = Docs.parse(doc);
    final List<Item> items = new ArrayList<>();
    for (final JsonNode i : n.path("items")) {
      items.add(new Item(i.path("id").asText(), i.path("value").asText(), i.path("created_at").asLong()));
    }
    return new ConditionSetRecord(n.path("id").asText(), n.path("name").asText(), Docs.optionalText(n, "owner_id"),
        items, n.path("created_at").asLong());
  }

  public ConditionSetRecord withItems(final List<Item> newItems) {
    return new ConditionSetRecord(id, name, ownerId, newItems, createdAt);
  }

  public ConditionSetRecord withName(final String newName) {
    return new ConditionSetRecord(id, newName, ownerId, items, createdAt);
  }

  public ConditionSetRecord withOwner(final Optional<String> owner) {
    return new ConditionSetRecord(id, name, owner, items, createdAt);
  }
}
