package dev.mandate.recurring;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.api.Json;

/**
 * One run found due in the {@link DueIndex}: which action of which app, for which scheduled time,
 * and the index entry that announced it. This is the work queue's message; it grants nothing (the
 * enclave signs only the sealed action's sealed next time), so a forged or stale one is a no-op.
 *
 * @param partition the index entry's partition ({@link DueIndex}); with {@code entryId}, its key
 */
public record DueRun(String appId, String actionId, long scheduledAt, String partition, String entryId) {

  /** {@code <action id>.<scheduled ms, 13 digits>}: the run record's id and idempotency key suffix. */
  public String runId() {
    return actionId + "." + String.format("%013d", scheduledAt);
  }

  public String toJson() {
    return Json.object().put("app_id", appId).put("action_id", actionId).put("scheduled_at", scheduledAt)
        .put("partition", partition).put("entry_id", entryId).toString();
  }

  /** @throws IllegalArgumentException if {@code json} is not what {@link #toJson} writes */
  public static DueRun fromJson(final String json) {
    final ObjectNode n;
    try {
      n = Json.parseStored(json);
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException("due run message is not a JSON object", e);
    }
    for (final String field : new String[] {"app_id", "action_id", "partition", "entry_id"}) {
      if (!n.path(field).isTextual() || n.path(field).asText().isEmpty()) {
        throw new IllegalArgumentException("due run message has no " + field);
      }
    }
    if (!n.path("scheduled_at").isIntegralNumber()) {
      throw new IllegalArgumentException("due run message has no scheduled_at");
    }
    return new DueRun(n.path("app_id").asText(), n.path("action_id").asText(), n.path("scheduled_at").asLong(),
        n.path("partition").asText(), n.path("entry_id").asText());
  }
}
