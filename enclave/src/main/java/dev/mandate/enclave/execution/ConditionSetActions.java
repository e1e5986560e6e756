package dev.mandate.enclave.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.enclave.Ids;
import dev.mandate.enclave.InvalidRequestException;
import dev.mandate.enclave.RecordMissingException;
import dev.mandate.enclave.authorization.UserSessionKeys;
import dev.mandate.enclave.protocol.Executed;
import dev.mandate.enclave.protocol.SealedRecord;
import dev.mandate.enclave.records.ConditionSetRecord;
import dev.mandate.enclave.records.Docs;
import dev.mandate.enclave.records.RecordSealer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Condition sets and their items ({@code in_condition_set}). Changes are owner-signed when the set
 * has an owner, like policies.
 */
final class ConditionSetActions {
  /** Privy: at most 100 items per call. */
  static final int MAX_ITEMS_PER_CALL = 100;
  /** Keeps a set within one DynamoDB item (400 KB). */
  static final int MAX_ITEMS = 2000;
  private static final int MAX_VALUE = 256;

  Executed create(final Request request, final VerifiedRecords records, final RecordSealer sealer) {
    final ObjectNode body = request.body();
    Fields.allowOnly(body, Set.of("name", "owner", "owner_id", "values"));
    final String name = name(body);
    final List<SealedRecord> created = new ArrayList<>();
    final Optional<String> owner = Owners.resolve(request, body, records, sealer, created);
    final List<ConditionSetRecord.Item> items = body.has("values")
        ? items(body.get("values"), request, "values") : List.of();
    final ConditionSetRecord set = new ConditionSetRecord(Ids.mint(), name, owner, items, request.now.toEpochMilli());
    final SealedRecord sealed = seal(request, sealer, set);
    created.add(0, sealed);
    return new Executed(Optional.empty(), Optional.of(sealed), created, List.of(), List.of());
  }

  Executed update(final Request request, final VerifiedRecords records, final RecordSealer sealer, final String id,
      final SessionKeys users) {
    ConditionSetRecord set = authorized(request, records, id, users);
    final ObjectNode body = request.body();
    Fields.allowOnly(body, Set.of("name", "owner", "owner_id"));
    final List<SealedRecord> created = new ArrayList<>();
    if (body.has("name")) {
      set = set.withName(name(body));
    }
    if (body.has("owner") || body.has("owner_id")) {
      set = set.withOwner(Owners.resolve(request, body, records, sealer, created));
    }
    final SealedRecord sealed = seal(request, sealer, set);
    return new Executed(Optional.empty(), Optional.of(sealed), created, List.of(sealed), List.of());
  }

  Executed delete(final Request request, final VerifiedRecords records, final String id,
      final SessionKeys users) {
    authorized(request, records, id, users);
    return new Executed(Optional.of(Docs.object().put("success", true).toString()), Optional.empty(),
        List.of(), List.of(), List.of(records.find(ConditionSetRecord.KIND, id).orElseThrow()));
  }

  /** POST appends items; PUT replaces them all. The body is an array of {@code {value}} (or an object with {@code items}). */
  Executed putItems(final Request request, final VerifiedRecords records, final RecordSealer sealer, final String id,
      final boolean replace, final SessionKeys users) {
    final ConditionSetRecord set = authorized(request, records, id, users);
    final JsonNode raw = request.rawBody();
    final JsonNode array = raw.isArray() ? raw : raw.path("items");
    final List<ConditionSetRecord.Item> added = items(array, request, "items");
    final List<ConditionSetRecord.Item> all = new ArrayList<>(replace ? List.of() : set.items());
    for (final ConditionSetRecord.Item item : added) {
      if (all.stream().noneMatch(existing -> sameValue(existing.value(), item.value()))) {
        all.add(item);
      }
    }
    if (all.size() > MAX_ITEMS) {
      throw new InvalidRequestException("A condition set holds at most " + MAX_ITEMS + " items.");
    }
    final ConditionSetRecord updated = set.withItems(all);
    final SealedRecord sealed = seal(request, sealer, updated);
    return new Executed(Optional.of(updated.itemsJson().toString()), Optional.of(sealed), List.of(), List.of(sealed),
        List.of());
  }

  Executed deleteItem(final Request request, final VerifiedRecords records, final RecordSealer sealer,
      final String id, final String itemId, final SessionKeys users) {
    final ConditionSetRecord set = authorized(request, records, id, users);
    final List<ConditionSetRecord.Item> remaining = set.items().stream().filter(i -> !i.id().equals(itemId)).toList();
    if (remaining.size() == set.items().size()) {
      throw new RecordMissingException("Condition set item not found.");
    }
    final SealedRecord sealed = seal(request, sealer, set.withItems(remaining));
    return new Executed(Optional.of(Docs.object().put("success", true).toString()), Optional.of(sealed), List.of(),
        List.of(sealed), List.of());
  }

  /**
   * Whether two item values are the same for every rule that may read them: 0x-hex (EVM addresses,
   * bytes) compares ignoring case, as the policy does; anything else (Solana's case-sensitive base58
   * addresses, text) only exactly, so a value the policy tells apart is never dropped as a duplicate.
   */
  private static boolean sameValue(final String a, final String b) {
    return a.equals(b) || HEX.matcher(a).matches() && HEX.matcher(b).matches() && a.equalsIgnoreCase(b);
  }

  private static final java.util.regex.Pattern HEX = java.util.regex.Pattern.compile("0[xX][0-9a-fA-F]*");

  private static ConditionSetRecord authorized(final Request request, final VerifiedRecords records, final String id,
      final SessionKeys users) {
    final ConditionSetRecord set = records.conditionSet(id)
        .orElseThrow(() -> new RecordMissingException("Condition set not found."));
    Authorizer.owner(request, records, set.ownerId(), users);
    return set;
  }

  private static String name(final ObjectNode body) {
    final String name = Fields.requiredText(body, "name");
    if (name.length() > 50) {
      throw new InvalidRequestException("name must be at most 50 characters.");
    }
    return name;
  }

  private static List<ConditionSetRecord.Item> items(final JsonNode array, final Request request, final String field) {
    if (!array.isArray()) {
      throw new InvalidRequestException(field + " must be an array of {\"value\": …}.");
    }
    if (array.size() > MAX_ITEMS_PER_CALL) {
      throw new InvalidRequestException(field + " may hold at most " + MAX_ITEMS_PER_CALL + " items per request.");
    }
    final List<ConditionSetRecord.Item> out = new ArrayList<>();
    for (final JsonNode item : (ArrayNode) array) {
      final JsonNode value = item.isObject() ? item.get("value") : item;
      if (value == null || !value.isTextual() || value.asText().isEmpty() || value.asText().length() > MAX_VALUE) {
        throw new InvalidRequestException(field + " items must be {\"value\": \"…\"} with a non-empty string.");
      }
      out.add(new ConditionSetRecord.Item(Ids.mint(), value.asText(), request.now.toEpochMilli()));
    }
    return out;
  }

  private static SealedRecord seal(final Request request, final RecordSealer sealer, final ConditionSetRecord set) {
    return sealer.seal(request.appId, ConditionSetRecord.KIND, set.id(), set.toDoc());
  }
}
