package dev.mandate.recurring;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.api.Api;
import dev.mandate.api.ApiRequest;
import dev.mandate.api.ApiResponse;
import dev.mandate.api.Json;
import dev.mandate.api.Log;
import dev.mandate.enclave.authorization.AuthorizationPayload;
import dev.mandate.signing.PublicUrl;
import dev.mandate.store.ConcurrentUpdateException;
import dev.mandate.store.Item;
import dev.mandate.store.ItemExistsException;
import dev.mandate.store.Page;
import dev.mandate.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Runs due recurring actions, exactly once per scheduled time.
 *
 * <p>For each action whose {@code next_run_at} has come, the runner first claims the run — a run
 * record keyed by action and scheduled time, created only if absent — so a duplicate delivery, a retry
 * or a second runner skips it. The request it then submits carries an idempotency key made of the same
 * two values, so even a run that crashes after broadcasting and is retried by hand never sends twice.
 * Each run records its outcome: the transaction or signature, or the policy decision that denied it.
 */
public final class RecurringRunner {
  /** The pseudo-host internal requests are signed for; the enclave rebuilds the URL the same way. */
  private static final String INTERNAL_HOST = "mandate.internal";
  private static final int MAX_ACTIONS_PER_TICK = 1000;

  private final Store store;
  private final Api signApi;
  private final ActionSigner signer;
  private final PublicUrl publicUrl;
  private final Clock clock;

  public RecurringRunner(final Store store, final Api signApi, final ActionSigner signer, final PublicUrl publicUrl,
      final Clock clock) {
    this.store = store;
    this.signApi = signApi;
    this.signer = signer;
    this.publicUrl = publicUrl;
    this.clock = clock;
  }

  /** Runs every action due now; returns how many ran. */
  public int runDue() {
    final Page index = store.listByIdPrefix(RecurringActionService.SYSTEM_APP, RecurringActionService.INDEX_KIND, "",
        Optional.empty(), MAX_ACTIONS_PER_TICK);
    int ran = 0;
    for (final Item pointer : index.items()) {
      final ObjectNode p = Json.parseStored(pointer.doc());
      try {
        final Optional<Item> action = store.get(p.path("app_id").asText(), RecurringActionService.KIND, p.path("action_id").asText());
        if (action.isPresent() && runIfDue(p.path("app_id").asText(), action.get())) {
          ran++;
        }
      } catch (RuntimeException e) {
        // One action's trouble (its store record, its key) must not keep the others from running.
        Log.error("recurring_action_error", "action", p.path("action_id").asText(), "error", e.getClass().getSimpleName());
      }
    }
    return ran;
  }

  private boolean runIfDue(final String appId, final Item item) {
    final ObjectNode action = Json.parseStored(item.doc());
    final Instant now = clock.instant();
    final long scheduled = action.path("next_run_at").asLong();
    if (!"active".equals(action.path("status").asText()) || scheduled > now.toEpochMilli()) {
      return false;
    }
    final String runId = item.id() + "." + String.format("%013d", scheduled);
    try {
      store.create(Item.of(appId, RecurringActionService.RUN_KIND, runId, Json.object()
          .put("id", runId).put("action_id", item.id()).put("scheduled_at", scheduled)
          .put("started_at", now.toEpochMilli()).put("outcome", "running").toString()));
    } catch (ItemExistsException duplicate) {
      return false; // this scheduled time already ran (or is running): a duplicate delivery
    }
    advance(item, action, now);
    final ObjectNode outcome = submitOrFail(appId, item.id(), action, runId);
    store.get(appId, RecurringActionService.RUN_KIND, runId).ifPresent(run -> {
      final ObjectNode doc = Json.parseStored(run.doc());
      doc.setAll(outcome);
      doc.put("finished_at", clock.millis());
      store.update(run.withDoc(doc.toString()), run.version());
    });
    Log.info("recurring_run", "action", item.id(), "outcome", outcome.path("outcome").asText());
    return true;
  }

  /** Moves the action to its next time (missed times are not replayed) and ends it when it is done. */
  private void advance(final Item item, final ObjectNode action, final Instant now) {
    final Schedule schedule = RecurringActionService.schedule(action.path("schedule").asText());
    final long runs = action.path("runs").asLong() + 1;
    // A cron that never fires again (its year has passed) ends the action.
    final Optional<Instant> next = schedule.following(Instant.ofEpochMilli(action.path("created_at").asLong()), now);
    action.put("runs", runs).put("last_run_at", now.toEpochMilli());
    next.ifPresent(n -> action.put("next_run_at", n.toEpochMilli()));
    final boolean limitReached = action.path("max_runs").isIntegralNumber() && runs >= action.path("max_runs").asLong();
    final boolean ended = next.isEmpty()
        || action.path("end_at").isIntegralNumber() && next.get().toEpochMilli() > action.path("end_at").asLong();
    if (limitReached || ended) {
      action.put("status", "completed");
    }
    try {
      store.update(item.withDoc(action.toString()), item.version());
    } catch (ConcurrentUpdateException raced) {
      // Paused or deleted meanwhile: the claimed run still goes ahead once; the new status stands.
    }
  }

  /**
   * {@link #submit}, or a failed outcome when the request never reached the rpc path (e.g. KMS
   * refused to sign with the action's key): the run says so instead of staying "running".
   */
  private ObjectNode submitOrFail(final String appId, final String actionId, final ObjectNode action, final String runId) {
    try {
      return submit(appId, actionId, action, runId);
    } catch (RuntimeException e) {
      Log.error("recurring_run_error", "action", actionId, "error", e.getClass().getSimpleName());
      return Json.object().put("outcome", "failed").put("code", "action_signing_failed")
          .put("error", "The action's request could not be signed (" + e.getClass().getSimpleName() + ").");
    }
  }

  /** Signs the action's request as its signer and submits it through the rpc endpoint. */
  private ObjectNode submit(final String appId, final String actionId, final ObjectNode action, final String runId) {
    final String path = "/v1/wallets/" + action.path("wallet_id").asText() + "/rpc";
    final String body = action.path("request").toString();
    final Map<String, String> headers = new HashMap<>();
    headers.put("privy-app-id", appId);
    headers.put("privy-idempotency-key", "recurring:" + runId);
    headers.put("content-type", "application/json");
    final ApiRequest unsigned = new ApiRequest("POST", path, headers, Map.of(), Optional.of(body), Optional.of(INTERNAL_HOST));
    final byte[] payload = AuthorizationPayload.of("POST", AuthorizationPayload.url(publicUrl.resolve(unsigned), path),
        body, headers).canonicalBytes();
    headers.put("privy-authorization-signature", signer.sign(ActionKey.fromJson(action.path("key").toString()), payload));
    final ApiResponse response = signApi.handleAs(appId,
        new ApiRequest("POST", path, headers, Map.of(), Optional.of(body), Optional.of(INTERNAL_HOST)));
    final ObjectNode result = Json.parseStored(response.body());
    final ObjectNode outcome = Json.object().put("status_code", response.status());
    if (response.status() == 200) {
      outcome.put("outcome", "succeeded");
      outcome.set("result", result.path("data"));
    } else if ("policy_violation".equals(result.path("code").asText())) {
      outcome.put("outcome", "denied");
      outcome.set("policy_decision", result.path("policy_decision"));
    } else {
      outcome.put("outcome", "failed");
      outcome.put("error", result.path("error").asText()).put("code", result.path("code").asText());
    }
    return outcome;
  }
}
