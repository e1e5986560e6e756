package dev.mandate.recurring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.api.Api;
import dev.mandate.api.ApiException;
import dev.mandate.api.ApiRequest;
import dev.mandate.api.ApiResponse;
import dev.mandate.api.Json;
import dev.mandate.api.Log;
import dev.mandate.enclave.protocol.Executed;
import dev.mandate.enclave.protocol.HttpEnvelope;
import dev.mandate.enclave.records.ActionRecord;
import dev.mandate.signing.EnclaveGateway;
import dev.mandate.signing.RecordRef;
import dev.mandate.store.ConcurrentUpdateException;
import dev.mandate.store.Item;
import dev.mandate.store.ItemExistsException;
import dev.mandate.store.Store;
import dev.mandate.store.Update;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Runs one due run, exactly once however often it is delivered and wherever a worker dies.
 *
 * <ol>
 *   <li><b>Claim</b>: the run record {@code <action>.<scheduled ms>} is created with a lease. A
 *       delivery that finds it finished is a no-op; one that finds it leased comes back later; one
 *       that finds the lease expired (its worker died) takes it over, bumping the record's version.
 *   <li><b>Sign</b>: the enclave signs the sealed request for the sealed next time and advances the
 *       sealed action; the advanced action, the run record (with the signed request) and the next
 *       due entry are written in one transaction conditional on the lease holder's version, so a
 *       run is signed into the table once.
 *   <li><b>Submit</b>: the signed request goes through the rpc path under idempotency key
 *       {@code recurring:<run id>}; a retry after a crash resubmits the same signed request, so a
 *       send happens once (the idempotency record returns the first response).
 *   <li><b>Record</b> the outcome, conditional on the lease holder's version.
 * </ol>
 */
public final class RecurringWorker {
  /** The pseudo-host internal requests are made for; the enclave rebuilds the URL the same way. */
  static final String INTERNAL_HOST = "mandate.internal";
  public static final Duration DEFAULT_LEASE = Duration.ofSeconds(60);

  /** What to do with the delivery. */
  public enum Delivery {
    /** Finished (or nothing to do): acknowledge it. */
    DONE,
    /** Not now (leased elsewhere, in progress, or raced): deliver it again later. */
    RETRY
  }

  private final Store store;
  private final EnclaveGateway gateway;
  private final Api signApi;
  private final DueIndex index;
  private final WorkerHooks hooks;
  private final Clock clock;
  private final Duration lease;

  public RecurringWorker(final Store store, final EnclaveGateway gateway, final Api signApi, final WorkerHooks hooks,
      final Clock clock, final Duration lease) {
    this.store = store;
    this.gateway = gateway;
    this.signApi = signApi;
    this.index = new DueIndex(store);
    this.hooks = hooks;
    this.clock = clock;
    this.lease = lease;
  }

  public Delivery process(final DueRun due) {
    // Claim first: the common case (a first delivery) costs one conditional write, no read.
    final Optional<Item> claimed = claim(due);
    if (claimed.isPresent()) {
      hooks.afterClaim(due);
      return sign(due, claimed.get());
    }
    final Optional<Item> existing = store.get(due.appId(), RecurringActionService.RUN_KIND, due.runId());
    if (existing.isEmpty()) {
      return Delivery.RETRY; // withdrawn a moment ago: look again later
    }
    final ObjectNode run = Json.parseStored(existing.get().doc());
    if (!"running".equals(run.path("outcome").asText())) {
      index.remove(due);
      return Delivery.DONE; // a duplicate delivery of a finished run
    }
    if (run.path("lease_until").asLong() > clock.millis()) {
      return Delivery.RETRY;
    }
    final Optional<Item> taken = takeOver(existing.get(), run);
    if (taken.isEmpty()) {
      return Delivery.RETRY;
    }
    Log.info("recurring_run_takeover", "action", due.actionId(), "run", due.runId());
    return run.has("authorization") ? submit(due, taken.get()) : sign(due, taken.get());
  }

  private Optional<Item> claim(final DueRun due) {
    final long now = clock.millis();
    final Item item = Item.of(due.appId(), RecurringActionService.RUN_KIND, due.runId(), Json.object()
        .put("id", due.runId()).put("action_id", due.actionId()).put("scheduled_at", due.scheduledAt())
        .put("started_at", now).put("outcome", "running").put("attempts", 1)
        .put("lease_until", now + lease.toMillis()).toString());
    try {
      store.create(item);
      return Optional.of(stored(item, 1));
    } catch (ItemExistsException raced) {
      return Optional.empty();
    }
  }

  private Optional<Item> takeOver(final Item item, final ObjectNode run) {
    run.put("lease_until", clock.millis() + lease.toMillis()).put("attempts", run.path("attempts").asInt(1) + 1);
    try {
      store.update(item.withDoc(run.toString()), item.version());
      return Optional.of(stored(item.withDoc(run.toString()), item.version() + 1));
    } catch (ConcurrentUpdateException raced) {
      return Optional.empty();
    }
  }

  /** The enclave signs (or skips, when too late) the run; what it sealed is written with the run record. */
  private Delivery sign(final DueRun due, final Item run) {
    final Map<String, String> headers = Map.of("privy-app-id", due.appId(), "content-type", "application/json");
    final String path = "/v1/recurring_actions/" + due.actionId() + "/runs";
    final String body = Json.object().put("scheduled_at", due.scheduledAt()).toString();
    final HttpEnvelope http = gateway.envelope(
        new ApiRequest("POST", path, headers, Map.of(), Optional.of(body), Optional.of(INTERNAL_HOST)));
    final Item[] written = new Item[1];
    try {
      gateway.execute(due.appId(), http, List.of(new RecordRef(ActionRecord.KIND, due.actionId())), false,
          loaded -> Map.of(), signed -> {
            written[0] = signedRun(run, signed);
            return writes(due, run, written[0], signed);
          });
    } catch (ApiException e) {
      return refused(due, run, e);
    }
    index.remove(due);
    final Item signedRun = stored(written[0], run.version() + 1);
    if ("missed".equals(Json.parseStored(signedRun.doc()).path("outcome").asText())) {
      Log.info("recurring_run", "action", due.actionId(), "outcome", "missed");
      return Delivery.DONE;
    }
    hooks.afterSign(due);
    return submit(due, signedRun);
  }

  /** The run record once signed: the signed request rides along for retries (or "missed"). */
  private Item signedRun(final Item run, final Executed executed) {
    final ObjectNode result = Json.parseStored(executed.result().orElseThrow());
    final ObjectNode doc = Json.parseStored(run.doc());
    if ("missed".equals(result.path("outcome").asText())) {
      doc.put("outcome", "missed").put("finished_at", clock.millis()).remove("lease_until");
    } else {
      doc.put("path", result.path("path").asText()).put("body", result.path("body").asText())
          .put("authorization", result.path("authorization").asText());
      doc.set("headers", result.path("headers"));
    }
    return run.withDoc(doc.toString());
  }

  private List<Update> writes(final DueRun due, final Item run, final Item signedRun, final Executed executed) {
    final ObjectNode result = Json.parseStored(executed.result().orElseThrow());
    final List<Update> writes = new ArrayList<>();
    writes.add(Update.replace(signedRun, run.version()));
    if (ActionRecord.ACTIVE.equals(result.path("status").asText())) {
      writes.add(index.put(due.appId(), due.actionId(), result.path("next_run_at").asLong()));
    }
    return writes;
  }

  /**
   * The enclave would not sign. Not due, not active, gone: there is no run, so the claim is withdrawn
   * (a stale or forged index entry, an action paused or deleted meanwhile). A failed seal: the run
   * fails, recorded, and the action stops. A lost race (409): look again later.
   */
  private Delivery refused(final DueRun due, final Item run, final ApiException e) {
    if (e.status() == 409) {
      return Delivery.RETRY;
    }
    if (e.status() == 404 || "run_not_due".equals(e.code()) || "recurring_action_not_active".equals(e.code())) {
      try {
        store.delete(run.appId(), run.kind(), run.id(), run.version());
      } catch (RuntimeException raced) {
        return Delivery.RETRY;
      }
      index.remove(due);
      return Delivery.DONE;
    }
    Log.error("recurring_run_refused", "action", due.actionId(), "code", e.code());
    finish(run, Json.object().put("outcome", "failed").put("code", e.code())
        .put("error", "The enclave refused to sign this run (" + e.code() + ")."));
    index.remove(due);
    return Delivery.DONE;
  }

  /** Submits the run's signed request through the rpc path and records the outcome. */
  private Delivery submit(final DueRun due, final Item run) {
    final ObjectNode doc = Json.parseStored(run.doc());
    final Map<String, String> headers = new HashMap<>();
    for (final Iterator<Map.Entry<String, JsonNode>> it = doc.path("headers").fields(); it.hasNext(); ) {
      final Map.Entry<String, JsonNode> header = it.next();
      headers.put(header.getKey(), header.getValue().asText());
    }
    headers.put("content-type", "application/json");
    headers.put("privy-authorization-signature", doc.path("authorization").asText());
    final ApiResponse response = signApi.handleAs(due.appId(), new ApiRequest("POST", doc.path("path").asText(), headers,
        Map.of(), Optional.of(doc.path("body").asText()), Optional.of(INTERNAL_HOST)));
    final ObjectNode result = Json.parseStored(response.body());
    if (response.status() == 409 || response.status() == 503) {
      // 409: the same run is being submitted elsewhere (its idempotency claim is held); 503: the
      // wallet is busy with another metered request. Nothing was signed: deliver it again later.
      return Delivery.RETRY;
    }
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
    finish(run, outcome);
    Log.info("recurring_run", "action", due.actionId(), "outcome", outcome.path("outcome").asText());
    return Delivery.DONE;
  }

  /** The item as the store now holds it (the store assigns versions; no read needed to know it). */
  private static Item stored(final Item item, final long version) {
    return new Item(item.appId(), item.kind(), item.id(), item.doc(), version, item.attrs(), item.expiresAt());
  }

  private void finish(final Item run, final ObjectNode outcome) {
    final ObjectNode doc = Json.parseStored(run.doc());
    doc.setAll(outcome);
    doc.put("finished_at", clock.millis());
    doc.remove("lease_until");
    try {
      store.update(run.withDoc(doc.toString()), run.version());
    } catch (ConcurrentUpdateException taken) {
      // Our lease ran out and another worker took the run over: it records the same idempotent outcome.
    }
  }
}
