package dev.mandate.enclave.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A recurring action as stored and sealed: the wallet, the exact rpc request body it sends, the
 * schedule, its limits, its counters and the binding of its P-256 key (the public key, the key
 * quorum registered for it, and the private key wrapped to {@code (app, action id)}). Only the
 * enclave writes it, so a table write cannot change what runs, when, how often, or with which key.
 *
 * @param request the rpc request body, as canonical JSON text; this exact text is what runs sign
 * @param status {@code active}, {@code paused}, {@code completed} or {@code deleted}
 * @param runs runs signed so far
 * @param nextRunAt the scheduled time of the next run (Unix ms); the only time a run may be signed for
 * @param wrappedKey the action key, wrapped; empty once the action is deleted
 */
public record ActionRecord(
    String id,
    String walletId,
    String signerId,
    String request,
    String schedule,
    String status,
    long runs,
    long nextRunAt,
    OptionalLong lastRunAt,
    long createdAt,
    OptionalLong endAt,
    OptionalLong maxRuns,
    Optional<String> displayName,
    String publicKey,
    Optional<String> wrappedKey) {
  public static final String KIND = "recurring_action";
  public static final String ACTIVE = "active";
  public static final String PAUSED = "paused";
  public static final String COMPLETED = "completed";
  public static final String DELETED = "deleted";

  /** The API view: everything but the wrapped key. */
  public ObjectNode toApiJson() {
    final ObjectNode n = Docs.object().put("id", id).put("wallet_id", walletId).put("signer_id", signerId)
        .put("schedule", schedule).put("status", status).put("runs", runs).put("next_run_at", nextRunAt)
        .put("created_at", createdAt).put("display_name", displayName.orElse(null));
    n.set("request", Docs.parse(request));
    n.put("public_key", publicKey);
    putOptional(n, "end_at", endAt);
    putOptional(n, "max_runs", maxRuns);
    if (lastRunAt.isPresent()) {
      n.put("last_run_at", lastRunAt.getAsLong());
    }
    return n;
  }

  public String toDoc() {
    final ObjectNode n = toApiJson();
    wrappedKey.ifPresent(k -> n.put("wrapped_key", k));
    return n.toString();
  }

  public static ActionRecord fromDoc(final String doc) {
    final ObjectNode n = Docs.parse(doc);
    return new ActionRecord(
        n.path("id").asText(), n.path("wallet_id").asText(), n.path("signer_id").asText(),
        n.path("request").toString(), n.path("schedule").asText(), n.path("status").asText(),
        n.path("runs").asLong(), n.path("next_run_at").asLong(), optionalLong(n, "last_run_at"),
        n.path("created_at").asLong(), optionalLong(n, "end_at"), optionalLong(n, "max_runs"),
        Docs.optionalText(n, "display_name"), n.path("public_key").asText(), Docs.optionalText(n, "wrapped_key"));
  }

  public ActionRecord withStatus(final String newStatus, final long newNextRunAt) {
    return new ActionRecord(id, walletId, signerId, request, schedule, newStatus, runs, newNextRunAt, lastRunAt,
        createdAt, endAt, maxRuns, displayName, publicKey, wrappedKey);
  }

  /** One more run, signed (or skipped) at {@code at}; the next time and status as given. */
  public ActionRecord advanced(final long newRuns, final long at, final long newNextRunAt, final String newStatus) {
    return new ActionRecord(id, walletId, signerId, request, schedule, newStatus, newRuns, newNextRunAt,
        OptionalLong.of(at), createdAt, endAt, maxRuns, displayName, publicKey, wrappedKey);
  }

  /** Deleted: the wrapped key is dropped, so nothing can ever sign for this action again. */
  public ActionRecord deleted() {
    return new ActionRecord(id, walletId, signerId, request, schedule, DELETED, runs, nextRunAt, lastRunAt,
        createdAt, endAt, maxRuns, displayName, publicKey, Optional.empty());
  }

  private static void putOptional(final ObjectNode n, final String field, final OptionalLong value) {
    if (value.isPresent()) {
      n.put(field, value.getAsLong());
    } else {
      n.putNull(field);
    }
  }

  private static OptionalLong optionalLong(final JsonNode n, final String field) {
    final JsonNode v = n.get(field);
    return v == null || !v.isIntegralNumber() ? OptionalLong.empty() : OptionalLong.of(v.asLong());
  }
}
