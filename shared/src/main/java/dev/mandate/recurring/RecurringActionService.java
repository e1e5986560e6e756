package dev.mandate.recurring;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.api.ApiException;
import dev.mandate.api.ApiResponse;
import dev.mandate.api.Json;
import dev.mandate.api.Route;
import dev.mandate.enclave.protocol.Executed;
import dev.mandate.enclave.records.ActionRecord;
import dev.mandate.signing.EnclaveGateway;
import dev.mandate.signing.RecordRef;
import dev.mandate.store.Item;
import dev.mandate.store.Page;
import dev.mandate.store.Store;
import dev.mandate.store.Update;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Recurring actions (a Mandate extension: Privy leaves scheduling to the app). An action is a wallet,
 * the rpc request it sends, and a schedule. It acts as a <em>signer</em>: the enclave generates a
 * P-256 key for it (wrapped like a wallet key), registers the public key as a key quorum, and the
 * wallet's owner adds that quorum to the wallet's {@code additional_signers} with an override policy,
 * like any other signer. The action record is sealed by the enclave; every change to it (create,
 * pause, resume, delete, and each run's counters) is made by the enclave. Runs are found by time in
 * the {@link DueIndex} and carried out by {@link RecurringWorker}s.
 */
public final class RecurringActionService {
  public static final String KIND = ActionRecord.KIND;
  public static final String RUN_KIND = "recurring_run";
  /** Run-record fields that are the worker's business, not the API's. */
  private static final Set<String> RUN_INTERNALS = Set.of("authorization", "headers", "body", "path", "lease_until");
  private static final int MAX_ID_CHARS = 128;

  private final Store store;
  private final EnclaveGateway enclave;
  private final DueIndex index;

  public RecurringActionService(final Store store, final EnclaveGateway enclave) {
    this.store = store;
    this.enclave = enclave;
    this.index = new DueIndex(store);
  }

  public List<Route> routes() {
    return List.of(
        new Route("POST", "/v1/recurring_actions", this::create),
        new Route("GET", "/v1/recurring_actions", this::list),
        new Route("GET", "/v1/recurring_actions/{action_id}", call -> ApiResponse.ok(view(loadItem(call)))),
        new Route("POST", "/v1/recurring_actions/{action_id}/pause", call -> change(call, false)),
        new Route("POST", "/v1/recurring_actions/{action_id}/resume", call -> change(call, true)),
        new Route("DELETE", "/v1/recurring_actions/{action_id}", this::delete),
        new Route("GET", "/v1/recurring_actions/{action_id}/runs", this::runs));
  }

  ApiResponse create(final Route.Call call) {
    final ObjectNode body = Json.bodyObject(call.request().body());
    final String walletId = body.path("wallet_id").asText("");
    if (walletId.length() > MAX_ID_CHARS) {
      throw ApiException.invalid("wallet_id is longer than " + MAX_ID_CHARS + " characters.");
    }
    final Executed executed = enclave.execute(call, enclave.envelope(call.request()),
        List.of(RecordRef.wallet(walletId)), false, loaded -> Map.of(), done -> announceNext(call.appId(), done));
    return ApiResponse.ok(ActionRecord.fromDoc(executed.primary().orElseThrow().doc()).toApiJson());
  }

  ApiResponse list(final Route.Call call) {
    final Page page = store.list(call.appId(), KIND, call.request().queryParam("cursor"), 100, Map.of());
    final ObjectNode out = Json.object();
    final ArrayNode data = out.putArray("data");
    page.items().forEach(item -> data.add(view(item)));
    out.put("next_cursor", page.nextCursor().orElse(null));
    return ApiResponse.ok(out);
  }

  /** Pause or resume: the enclave changes the sealed record; a resumed action announces its next time. */
  ApiResponse change(final Route.Call call, final boolean resume) {
    final Item item = loadItem(call);
    requireChangeable(item);
    final Executed executed = enclave.execute(call, enclave.envelope(call.request()),
        List.of(new RecordRef(KIND, item.id())), false, loaded -> Map.of(),
        done -> resume ? announceNext(call.appId(), done) : List.of());
    return ApiResponse.ok(ActionRecord.fromDoc(executed.primary().orElseThrow().doc()).toApiJson());
  }

  /**
   * Deleted, not removed: the runs stay listed, the wrapped key is dropped from the sealed record.
   * The action's due entries stay until a worker meets them and finds nothing to do.
   */
  ApiResponse delete(final Route.Call call) {
    final Item item = loadItem(call);
    if (isLegacy(item)) {
      // Unsealed: the host marks it. Its KMS key is retired by the operator (README, Recurring actions).
      final ObjectNode doc = Json.parseStored(item.doc());
      doc.put("status", ActionRecord.DELETED);
      store.update(item.withDoc(doc.toString()), item.version());
      return ApiResponse.ok(Json.object().put("success", true));
    }
    enclave.execute(call, List.of(new RecordRef(KIND, item.id())), false);
    return ApiResponse.ok(Json.object().put("success", true));
  }

  ApiResponse runs(final Route.Call call) {
    final Item action = loadItem(call);
    final Page page = store.listByIdPrefix(call.appId(), RUN_KIND, action.id() + ".", call.request().queryParam("cursor"), 100);
    final ObjectNode out = Json.object();
    final ArrayNode data = out.putArray("data");
    page.items().forEach(item -> {
      final ObjectNode run = Json.parseStored(item.doc());
      run.remove(RUN_INTERNALS);
      data.add(run);
    });
    out.put("next_cursor", page.nextCursor().orElse(null));
    return ApiResponse.ok(out);
  }

  /** The due-index entry of the action's next run, written with the sealed record that sets it. */
  private List<Update> announceNext(final String appId, final Executed executed) {
    final ActionRecord action = ActionRecord.fromDoc(executed.primary().orElseThrow().doc());
    return action.status().equals(ActionRecord.ACTIVE)
        ? List.of(index.put(appId, action.id(), action.nextRunAt()))
        : List.of();
  }

  private Item loadItem(final Route.Call call) {
    return store.get(call.appId(), KIND, call.param("action_id"))
        .orElseThrow(() -> ApiException.notFound("Recurring action not found."));
  }

  /** A 409 for what cannot change (what the enclave would refuse anyway, with a clearer status). */
  private static void requireChangeable(final Item item) {
    if (isLegacy(item)) {
      throw legacy();
    }
    final String status = Json.parseStored(item.doc()).path("status").asText();
    if (status.equals(ActionRecord.DELETED) || status.equals(ActionRecord.COMPLETED)) {
      throw ApiException.conflict("The recurring action is " + status + ".");
    }
  }

  /** Made before actions were sealed (a per-action KMS key): shown, deletable, never run. */
  private static boolean isLegacy(final Item item) {
    return !item.attrs().containsKey(EnclaveGateway.SEAL_ATTR);
  }

  private static ApiException legacy() {
    return new ApiException(409, "legacy_recurring_action",
        "This recurring action predates sealed actions and no longer runs; create it again (see README, Recurring actions).");
  }

  /** The API view: everything but the wrapped key (and, for a legacy action, its KMS key reference). */
  static ObjectNode view(final Item item) {
    final ObjectNode out = Json.parseStored(item.doc());
    out.remove(List.of("wrapped_key", "key"));
    if (isLegacy(item)) {
      out.put("status", "legacy");
    }
    return out;
  }
}
