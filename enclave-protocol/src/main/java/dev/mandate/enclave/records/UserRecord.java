package dev.mandate.enclave.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/**
 * A user as stored: Privy's {@code User} object without the wallet entries (those are derived from
 * the wallets the user owns when the user is read). Sealed, because the binding of a login's
 * {@code sub} (the custom-auth id) to a user id decides whose wallets a JWT can act on.
 *
 * @param linkedAccounts the linked accounts given at creation (custom_auth, email, phone)
 * @param createdAt seconds, as Privy's users have it
 */
public record UserRecord(String id, ArrayNode linkedAccounts, ObjectNode customMetadata, long createdAt) {
  public static final String KIND = "user";
  public static final String ID_PREFIX = "did:privy:";

  /** The custom-auth user id (a JWT's {@code sub}) linked to this user, if any. */
  public Optional<String> customAuthId() {
    for (final JsonNode account : linkedAccounts) {
      if ("custom_auth".equals(account.path("type").asText())) {
        return Optional.of(account.path("custom_user_id").asText());
      }
    }
    return Optional.empty();
  }

  public ObjectNode toApiJson() {
    final ObjectNode n = Docs.object().put("id", id).put("created_at", createdAt)
        .put("has_accepted_terms", false).put("is_guest", false);
    n.set("linked_accounts", linkedAccounts.deepCopy());
    n.putArray("mfa_methods");
    n.set("custom_metadata", customMetadata.deepCopy());
    return n;
  }

  public String toDoc() {
    return toApiJson().toString();
  }

  public static UserRecord fromDoc(final String doc) {
    final ObjectNode n = Docs.parse(doc);
    return new UserRecord(
        n.path("id").asText(),
        n.path("linked_accounts") instanceof ArrayNode a ? a : Docs.object().arrayNode(),
        n.path("custom_metadata") instanceof ObjectNode o ? o : Docs.object(),
        n.path("created_at").asLong());
  }
}
