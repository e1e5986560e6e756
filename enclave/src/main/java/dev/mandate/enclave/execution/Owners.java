package dev.mandate.enclave.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.enclave.Ids;
import dev.mandate.enclave.InvalidRequestException;
import dev.mandate.enclave.authorization.P256PublicKey;
import dev.mandate.enclave.protocol.SealedRecord;
import dev.mandate.enclave.records.QuorumRecord;
import dev.mandate.enclave.records.RecordSealer;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The {@code owner} / {@code owner_id} fields shared by wallets, policies and condition sets: a public
 * key or a user becomes a new one-member key quorum (minted and sealed here); an existing quorum must
 * be one of the app's; null removes the owner.
 */
final class Owners {
  private Owners() {}

  /** The owner the body asks for; a new quorum it needs is added to {@code created}. */
  static Optional<String> resolve(final Request request, final ObjectNode body, final VerifiedRecords records,
      final RecordSealer sealer, final List<SealedRecord> created) {
    final boolean hasOwner = Fields.presentAndNotNull(body, "owner");
    final boolean hasOwnerId = Fields.presentAndNotNull(body, "owner_id");
    if (hasOwner && hasOwnerId) {
      throw new InvalidRequestException("owner and owner_id are mutually exclusive.");
    }
    if (hasOwnerId) {
      final JsonNode id = body.get("owner_id");
      if (!id.isTextual()) {
        throw new InvalidRequestException("owner_id must be a string or null.");
      }
      return Optional.of(records.requireQuorum(id.asText(), "owner_id").id());
    }
    if (!hasOwner) {
      return Optional.empty();
    }
    final JsonNode owner = body.get("owner");
    if (!owner.isObject() || owner.size() != 1 || !(owner.has("public_key") || owner.has("user_id"))) {
      throw new InvalidRequestException("owner must be {\"public_key\": …} or {\"user_id\": …}, or null.");
    }
    final QuorumRecord quorum;
    if (owner.has("public_key")) {
      final String key = Fields.optionalText(owner, "public_key", 2048)
          .orElseThrow(() -> new InvalidRequestException("owner.public_key must be a string."));
      P256PublicKey.parse(key, "owner.public_key");
      quorum = new QuorumRecord(Ids.mint(), List.of(key), List.of(), List.of(), OptionalInt.of(1), Optional.empty(),
          request.now.toEpochMilli());
    } else {
      final String user = Fields.optionalText(owner, "user_id", 128)
          .orElseThrow(() -> new InvalidRequestException("owner.user_id must be a string."));
      records.requireUser(user, "owner.user_id");
      quorum = new QuorumRecord(Ids.mint(), List.of(), List.of(user), List.of(), OptionalInt.of(1), Optional.empty(),
          request.now.toEpochMilli());
    }
    created.add(sealer.seal(request.appId, QuorumRecord.KIND, quorum.id(), quorum.toDoc()));
    return Optional.of(quorum.id());
  }
}
