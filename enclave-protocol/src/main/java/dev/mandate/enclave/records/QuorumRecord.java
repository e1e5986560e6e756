package dev.mandate.enclave.records;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A key quorum as stored: public keys (kept exactly as the caller wrote them, line breaks and all,
 * because Privy echoes them back), user ids, child quorum ids and the threshold (empty = all members).
 */
public record QuorumRecord(
    String id,
    List<String> publicKeys,
    List<String> userIds,
    List<String> keyQuorumIds,
    OptionalInt threshold,
    Optional<String> displayName,
    long createdAt) {
  public static final String KIND = "key_quorum";

  public QuorumRecord {
    publicKeys = List.copyOf(publicKeys);
    userIds = List.copyOf(userIds);
    keyQuorumIds = List.copyOf(keyQuorumIds);
  }

  /** Privy's {@code KeyQuorum} object. */
  public ObjectNode toApiJson() {
    final ObjectNode n = Docs.object().put("id", id).put("display_name", displayName.orElse(null));
    if (threshold.isPresent()) {
      n.put("authorization_threshold", threshold.getAsInt());
    } else {
      n.putNull("authorization_threshold");
    }
    final ArrayNode keys = n.putArray("authorization_keys");
    publicKeys.forEach(k -> keys.addObject().put("public_key", k).putNull("display_name"));
    if (userIds.isEmpty()) {
      n.putNull("user_ids");
    } else {
      Docs.array(n, "user_ids", userIds);
    }
    if (!keyQuorumIds.isEmpty()) {
      Docs.array(n, "key_quorum_ids", keyQuorumIds);
    }
    return n;
  }

  public String toDoc() {
    final ObjectNode n = toApiJson();
    Docs.array(n, "public_keys", publicKeys);
    Docs.array(n, "user_ids", userIds);
    Docs.array(n, "key_quorum_ids", keyQuorumIds);
    n.put("created_at", createdAt);
    return n.toString();
  }

  /** Parsed documents by their text: the same few come back on every request (immutable, public). */
  private static final Memo<QuorumRecord> PARSED = new Memo<>(QuorumRecord::parse, Docs.MEMO_ENTRIES, Docs.MEMO_MAX_CHARS,
      Docs.MEMO_TOTAL_CHARS);

  public static QuorumRecord fromDoc(final String doc) {
    return PARSED.apply(doc);
  }

  private static QuorumRecord parse(final String doc) {
    final ObjectNode n = Docs.parse(doc);
    final OptionalInt threshold = n.path("authorization_threshold").isInt()
        ? OptionalInt.of(n.path("authorization_threshold").asInt()) : OptionalInt.empty();
    return new QuorumRecord(
        n.path("id").asText(),
        Docs.strings(n.path("public_keys")),
        Docs.strings(n.path("user_ids")),
        Docs.strings(n.path("key_quorum_ids")),
        threshold,
        Docs.optionalText(n, "display_name"),
        n.path("created_at").asLong());
  }
}
