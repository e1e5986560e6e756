package dev.mandate.enclave.records;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A user's session key as stored: only its public half, its expiry and whether it is single-use —
 * the private key left the enclave once (HPKE-sealed, or over TLS) and exists nowhere else. Sealed,
 * so a key cannot be added to a user, revived or made reusable by a database write.
 *
 * <p>Ids are {@code <user id without did:privy:>.<fingerprint of the public key>}: the host finds the
 * keys a request's signatures can match by id (recovered from the signatures), never by listing a
 * user's keys, so a user may hold any number of them.
 */
public record SessionKeyRecord(String id, String userId, String publicKey, long expiresAt, boolean oneTime,
    boolean used, long createdAt) {
  public static final String KIND = "session_key";

  /** The id of {@code userId}'s session key whose public key has {@code fingerprint}. */
  public static String idFor(final String userId, final String fingerprint) {
    return (userId.startsWith(UserRecord.ID_PREFIX) ? userId.substring(UserRecord.ID_PREFIX.length()) : userId)
        + "." + fingerprint;
  }

  public boolean usableAt(final long nowMillis) {
    return nowMillis < expiresAt && !(oneTime && used);
  }

  public SessionKeyRecord markUsed() {
    return new SessionKeyRecord(id, userId, publicKey, expiresAt, oneTime, true, createdAt);
  }

  public String toDoc() {
    final ObjectNode n = Docs.object().put("id", id).put("user_id", userId).put("public_key", publicKey)
        .put("expires_at", expiresAt).put("one_time", oneTime).put("used", used).put("created_at", createdAt);
    return n.toString();
  }

  public static SessionKeyRecord fromDoc(final String doc) {
    final ObjectNode n = Docs.parse(doc);
    return new SessionKeyRecord(n.path("id").asText(), n.path("user_id").asText(), n.path("public_key").asText(),
        n.path("expires_at").asLong(), n.path("one_time").asBoolean(), n.path("used").asBoolean(),
        n.path("created_at").asLong());
  }
}
