package dev.mandate.enclave.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.enclave.Ids;
import dev.mandate.enclave.InvalidRequestException;
import dev.mandate.enclave.protocol.Executed;
import dev.mandate.enclave.protocol.SealedRecord;
import dev.mandate.enclave.records.Docs;
import dev.mandate.enclave.records.RecordSealer;
import dev.mandate.enclave.records.UserRecord;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Users: {@code POST /v1/users}. The enclave mints the {@code did:privy:} id and seals the record, so
 * which login ({@code custom_auth} id) belongs to which user cannot be changed in the table.
 */
final class UserActions {
  private static final Set<String> TYPES = Set.of("custom_auth", "email", "phone");
  private static final int MAX_ACCOUNTS = 10;

  Executed create(final Request request, final RecordSealer sealer) {
    final ObjectNode body = request.body();
    Fields.allowOnly(body, Set.of("linked_accounts", "custom_metadata"));
    final JsonNode accounts = body.get("linked_accounts");
    if (accounts == null || !accounts.isArray() || accounts.isEmpty() || accounts.size() > MAX_ACCOUNTS) {
      throw new InvalidRequestException("linked_accounts must be an array of 1 to " + MAX_ACCOUNTS + " accounts.");
    }
    final ArrayNode linked = Docs.object().arrayNode();
    final long nowSeconds = request.now.getEpochSecond();
    int customAuth = 0;
    for (final JsonNode account : accounts) {
      linked.add(account(account, nowSeconds));
      customAuth += "custom_auth".equals(account.path("type").asText()) ? 1 : 0;
    }
    if (customAuth > 1) {
      throw new InvalidRequestException("linked_accounts may hold one custom_auth account.");
    }
    final JsonNode metadata = body.get("custom_metadata");
    if (metadata != null && !metadata.isNull() && !metadata.isObject()) {
      throw new InvalidRequestException("custom_metadata must be an object.");
    }
    final UserRecord user = new UserRecord(UserRecord.ID_PREFIX + Ids.mint(), linked,
        metadata instanceof ObjectNode o ? o : Docs.object(), nowSeconds);
    final SealedRecord sealed = sealer.seal(request.appId, UserRecord.KIND, user.id(), user.toDoc());
    return new Executed(Optional.empty(), Optional.of(sealed), List.of(sealed), List.of(), List.of());
  }

  private static ObjectNode account(final JsonNode account, final long now) {
    if (!account.isObject() || !TYPES.contains(account.path("type").asText())) {
      throw new InvalidRequestException("linked_accounts items must have type custom_auth, email or phone.");
    }
    final String type = account.path("type").asText();
    final String field = switch (type) {
      case "custom_auth" -> "custom_user_id";
      case "email" -> "address";
      default -> "number";
    };
    Fields.allowOnly((ObjectNode) account, Set.of("type", field));
    final String value = Fields.optionalText(account, field, 256)
        .filter(v -> !v.isBlank())
        .orElseThrow(() -> new InvalidRequestException("linked_accounts " + type + " needs " + field + "."));
    return Docs.object().put("type", type).put(field, value)
        .put("verified_at", now).put("first_verified_at", now).put("latest_verified_at", now);
  }
}
