package dev.mandate.enclave.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.enclave.Ids;
import dev.mandate.enclave.InvalidRequestException;
import dev.mandate.enclave.RecordMissingException;
import dev.mandate.enclave.authorization.KeyQuorum;
import dev.mandate.enclave.authorization.P256PublicKey;
import dev.mandate.enclave.authorization.UserSessionKeys;
import dev.mandate.enclave.protocol.Executed;
import dev.mandate.enclave.protocol.SealedRecord;
import dev.mandate.enclave.records.Docs;
import dev.mandate.enclave.records.QuorumRecord;
import dev.mandate.enclave.records.RecordSealer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Key quorums: m-of-n sets of P-256 keys, users and (one level of) child quorums. A quorum has no
 * owner: changing or deleting it takes signatures meeting its own current threshold.
 */
final class QuorumActions {
  private static final Set<String> FIELDS = Set.of(
      "public_keys", "user_ids", "key_quorum_ids", "authorization_threshold", "display_name");
  private static final int MAX_DISPLAY_NAME = 50;
  private static final int MAX_KEYS = 50;
  private static final int MAX_USERS = 50;

  Executed create(final Request request, final VerifiedRecords records, final RecordSealer sealer) {
    final ObjectNode body = request.body();
    Fields.allowOnly(body, FIELDS);
    final QuorumRecord quorum = build(Ids.mint(), body, Optional.empty(), records, request.now.toEpochMilli());
    final SealedRecord sealed = sealer.seal(request.appId, QuorumRecord.KIND, quorum.id(), quorum.toDoc());
    return new Executed(Optional.empty(), Optional.of(sealed), List.of(sealed), List.of(), List.of());
  }

  Executed update(final Request request, final VerifiedRecords records, final RecordSealer sealer, final String id,
      final SessionKeys users) {
    final QuorumRecord current = existing(records, id);
    // The quorum as it is now decides, not as the request would make it.
    Authorizer.owner(request, records, Optional.of(current.id()), users);
    final ObjectNode body = request.body();
    Fields.allowOnly(body, FIELDS);
    if (body.isEmpty()) {
      throw new InvalidRequestException("At least one field must be provided.");
    }
    final QuorumRecord updated = build(current.id(), body, Optional.of(current), records, current.createdAt());
    final SealedRecord sealed = sealer.seal(request.appId, QuorumRecord.KIND, updated.id(), updated.toDoc());
    return new Executed(Optional.empty(), Optional.of(sealed), List.of(), List.of(sealed), List.of());
  }

  Executed delete(final Request request, final VerifiedRecords records, final String id,
      final SessionKeys users) {
    final QuorumRecord current = existing(records, id);
    Authorizer.owner(request, records, Optional.of(current.id()), users);
    final SealedRecord target = records.find(QuorumRecord.KIND, id).orElseThrow();
    return new Executed(Optional.of(Docs.object().put("success", true).toString()), Optional.empty(),
        List.of(), List.of(), List.of(target));
  }

  private static QuorumRecord existing(final VerifiedRecords records, final String id) {
    return records.quorum(id).orElseThrow(() -> new RecordMissingException("Key quorum not found."));
  }

  /** Fields present in {@code body} replace those of {@code base}; the result is validated as a whole. */
  private static QuorumRecord build(final String id, final ObjectNode body, final Optional<QuorumRecord> base,
      final VerifiedRecords records, final long createdAt) {
    final List<String> keys = body.has("public_keys")
        ? Fields.stringList(body, "public_keys", MAX_KEYS) : base.map(QuorumRecord::publicKeys).orElse(List.of());
    final List<String> users = body.has("user_ids")
        ? Fields.stringList(body, "user_ids", MAX_USERS) : base.map(QuorumRecord::userIds).orElse(List.of());
    final List<String> children = body.has("key_quorum_ids")
        ? Fields.stringList(body, "key_quorum_ids", KeyQuorum.MAX_CHILDREN)
        : base.map(QuorumRecord::keyQuorumIds).orElse(List.of());
    final OptionalInt threshold = body.has("authorization_threshold")
        ? threshold(body.get("authorization_threshold")) : base.map(QuorumRecord::threshold).orElse(OptionalInt.empty());
    final Optional<String> displayName = body.has("display_name")
        ? Fields.optionalText(body, "display_name", MAX_DISPLAY_NAME) : base.flatMap(QuorumRecord::displayName);
    users.forEach(u -> records.requireUser(u, "user_ids"));
    validate(id, keys, users, children, threshold, records);
    return new QuorumRecord(id, keys, users, children, threshold, displayName, createdAt);
  }

  /** Builds the quorum as the authorizer would see it, so an unusable quorum is refused up front. */
  private static void validate(final String id, final List<String> keys, final List<String> users,
      final List<String> children, final OptionalInt threshold, final VerifiedRecords records) {
    final List<P256PublicKey> parsed = new ArrayList<>();
    for (int i = 0; i < keys.size(); i++) {
      parsed.add(P256PublicKey.parse(keys.get(i), "public_keys[" + i + "]"));
    }
    final List<KeyQuorum> childQuorums = new ArrayList<>();
    for (final String child : children) {
      if (child.equals(id)) {
        throw new InvalidRequestException("key_quorum_ids may not include the quorum itself.");
      }
      records.requireQuorum(child, "key_quorum_ids");
      childQuorums.add(records.keyQuorum(child));
    }
    new KeyQuorum(id, parsed, users, childQuorums, threshold);
  }

  private static OptionalInt threshold(final JsonNode v) {
    if (v.isNull()) {
      return OptionalInt.empty();
    }
    if (!v.isIntegralNumber() || v.asLong() < 1 || v.asLong() > 1000) {
      throw new InvalidRequestException("authorization_threshold must be a positive integer or null.");
    }
    return OptionalInt.of(v.asInt());
  }
}
