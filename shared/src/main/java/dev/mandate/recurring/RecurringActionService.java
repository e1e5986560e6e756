package dev.mandate.recurring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.api.ApiException;
import dev.mandate.api.ApiResponse;
import dev.mandate.api.Json;
import dev.mandate.api.Route;
import dev.mandate.enclave.Ids;
import dev.mandate.enclave.protocol.Executed;
import dev.mandate.enclave.protocol.HttpEnvelope;
import dev.mandate.enclave.records.QuorumRecord;
import dev.mandate.signing.EnclaveGateway;
import dev.mandate.signing.RecordRef;
import dev.mandate.store.Item;
import dev.mandate.store.Page;
import dev.mandate.store.Store;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Recurring actions (a Mandate extension: Privy leaves scheduling to the app). An action is a wallet,
 * the rpc request it sends, and a schedule. It acts as a <em>signer</em>: Mandate creates a P-256 key
 * for it (in KMS; the private key never leaves it), registers the public key as a key quorum, and the
 * wallet's owner adds that quorum to the wallet's {@code additional_signers} with an override policy,
 * like any other signer. The runner then signs each due request's authorization payload with that key
 * and submits it through the normal path, so authorization and policies apply exactly as for any caller.
 */
public final class RecurringActionService {
  public static final String KIND = "recurring_action";
  public static final String RUN_KIND = "recurring_run";
  /** Deployment-wide index of actions, read by the runner every tick. */
  static final String SYSTEM_APP = "_mandate";
  static final String INDEX_KIND = "recurring_index";
  private static final int MAX_ID_CHARS = 128;
  private static final Set<String> FIELDS = Set.of("wallet_id", "request", "schedule", "end_at", "max_runs", "display_name");

  private final Store store;
  private final EnclaveGateway enclave;
  private final ActionSigner signer;
  private final Clock clock;

  public RecurringActionService(final Store store, final EnclaveGateway enclave, final ActionSigner signer, final Clock clock) {
    this.store = store;
    this.enclave = enclave;
    this.signer = signer;
    this.clock = clock;
  }

  public List<Route> routes() {
    return List.of(
        new Route("POST", "/v1/recurring_actions", this::create),
        new Route("GET", "/v1/recurring_actions", this::list),
        new Route("GET", "/v1/recurring_actions/{action_id}", call -> ApiResponse.ok(view(load(call)))),
        new Route("POST", "/v1/recurring_actions/{action_id}/pause", call -> setStatus(call, "paused")),
        new Route("POST", "/v1/recurring_actions/{action_id}/resume", call -> setStatus(call, "active")),
        new Route("DELETE", "/v1/recurring_actions/{action_id}", this::delete),
        new Route("GET", "/v1/recurring_actions/{action_id}/runs", this::runs));
  }

  ApiResponse create(final Route.Call call) {
    final ObjectNode body = Json.bodyObject(call.request().body());
    body.fieldNames().forEachRemaining(name -> {
      if (!FIELDS.contains(name)) {
        throw ApiException.invalid("Unknown field: " + name + ".");
      }
    });
    final String walletId = text(body, "wallet_id");
    if (walletId.length() > MAX_ID_CHARS) {
      throw ApiException.invalid("wallet_id is longer than " + MAX_ID_CHARS + " characters.");
    }
    store.get(call.appId(), RecordRef.WALLET, walletId).orElseThrow(() -> ApiException.notFound("Wallet not found."));
    final JsonNode request = body.path("request");
    if (!request.isObject() || !request.path("method").isTextual()) {
      throw ApiException.invalid("request must be an rpc request body, e.g. {\"method\":\"eth_sendTransaction\",\"caip2\":…,\"params\":{…}}.");
    }
    final Schedule schedule = schedule(text(body, "schedule"));
    final Instant now = clock.instant();
    final Optional<Long> endAt = optionalLong(body, "end_at");
    endAt.filter(end -> end <= now.toEpochMilli()).ifPresent(end -> {
      throw ApiException.invalid("end_at must be in the future (Unix ms).");
    });
    final Optional<Long> maxRuns = optionalLong(body, "max_runs");
    maxRuns.filter(n -> n < 1).ifPresent(n -> {
      throw ApiException.invalid("max_runs must be at least 1.");
    });
    final String id = Ids.mint();
    final ActionKey key = signer.create(call.appId(), id);
    final String quorumId = registerQuorum(call.appId(), key, id);
    final ObjectNode doc = Json.object()
        .put("id", id).put("wallet_id", walletId).put("signer_id", quorumId)
        .put("schedule", schedule.expression()).put("status", "active")
        .put("runs", 0).put("next_run_at", schedule.following(now, now)
            .orElseThrow(() -> ApiException.invalid("schedule never fires after now.")).toEpochMilli())
        .put("created_at", now.toEpochMilli())
        .put("display_name", body.path("display_name").isTextual() ? body.path("display_name").asText() : null);
    doc.set("request", request);
    doc.set("key", Json.parseStored(key.toJson()));
    doc.put("public_key", key.publicKeySpkiBase64());
    endAt.ifPresentOrElse(v -> doc.put("end_at", v), () -> doc.putNull("end_at"));
    maxRuns.ifPresentOrElse(v -> doc.put("max_runs", v), () -> doc.putNull("max_runs"));
    store.createAll(List.of(
        Item.of(call.appId(), KIND, id, doc.toString()),
        Item.of(SYSTEM_APP, INDEX_KIND, call.appId() + "." + id,
            Json.object().put("app_id", call.appId()).put("action_id", id).toString())));
    return ApiResponse.ok(view(doc));
  }

  /** The action's key becomes a one-key quorum, created and sealed by the enclave like any other. */
  private String registerQuorum(final String appId, final ActionKey key, final String actionId) {
    final String body = Json.object().put("display_name", "recurring action " + actionId.substring(0, 12))
        .put("authorization_threshold", 1)
        .set("public_keys", Json.array().add(key.publicKeySpkiBase64())).toString();
    final HttpEnvelope http = new HttpEnvelope("POST", "https://mandate.internal", "/v1/key_quorums", body,
        Map.of("privy-app-id", appId), Optional.empty());
    final Executed executed = enclave.execute(appId, http, List.of(), false, Map.of());
    return QuorumRecord.fromDoc(executed.primary().orElseThrow().doc()).id();
  }

  ApiResponse list(final Route.Call call) {
    final Page page = store.list(call.appId(), KIND, call.request().queryParam("cursor"), 100, Map.of());
    final ObjectNode out = Json.object();
    final ArrayNode data = out.putArray("data");
    page.items().forEach(item -> data.add(view(Json.parseStored(item.doc()))));
    out.put("next_cursor", page.nextCursor().orElse(null));
    return ApiResponse.ok(out);
  }

  ApiResponse setStatus(final Route.Call call, final String status) {
    final Item item = loadItem(call);
    final ObjectNode doc = Json.parseStored(item.doc());
    if (doc.path("status").asText().equals("deleted") || doc.path("status").asText().equals("completed")) {
      throw ApiException.conflict("The recurring action is " + doc.path("status").asText() + ".");
    }
    doc.put("status", status);
    if (status.equals("active")) {
      // Resuming does not replay what was missed while paused.
      final Instant now = clock.instant();
      doc.put("next_run_at", schedule(doc.path("schedule").asText())
          .following(Instant.ofEpochMilli(doc.path("created_at").asLong()), now)
          .orElseThrow(() -> ApiException.conflict("The schedule never fires again.")).toEpochMilli());
    }
    store.update(item.withDoc(doc.toString()), item.version());
    return ApiResponse.ok(view(doc));
  }

  ApiResponse delete(final Route.Call call) {
    final Item item = loadItem(call);
    final ObjectNode doc = Json.parseStored(item.doc());
    doc.put("status", "deleted");
    store.update(item.withDoc(doc.toString()), item.version());
    store.get(SYSTEM_APP, INDEX_KIND, call.appId() + "." + item.id())
        .ifPresent(index -> store.delete(SYSTEM_APP, INDEX_KIND, index.id(), index.version()));
    signer.retire(ActionKey.fromJson(doc.path("key").toString()));
    return ApiResponse.ok(Json.object().put("success", true));
  }

  ApiResponse runs(final Route.Call call) {
    final Item action = loadItem(call);
    final Page page = store.listByIdPrefix(call.appId(), RUN_KIND, action.id() + ".", call.request().queryParam("cursor"), 100);
    final ObjectNode out = Json.object();
    final ArrayNode data = out.putArray("data");
    page.items().forEach(item -> data.add(Json.parseStored(item.doc())));
    out.put("next_cursor", page.nextCursor().orElse(null));
    return ApiResponse.ok(out);
  }

  private Item loadItem(final Route.Call call) {
    return store.get(call.appId(), KIND, call.param("action_id"))
        .orElseThrow(() -> ApiException.notFound("Recurring action not found."));
  }

  private ObjectNode load(final Route.Call call) {
    return Json.parseStored(loadItem(call).doc());
  }

  /** The API view: everything but the key's private reference. */
  static ObjectNode view(final ObjectNode doc) {
    final ObjectNode out = doc.deepCopy();
    out.remove("key");
    return out;
  }

  static Schedule schedule(final String expression) {
    try {
      return Schedule.parse(expression);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("schedule: " + e.getMessage());
    }
  }

  private static String text(final ObjectNode body, final String field) {
    final JsonNode v = body.get(field);
    if (v == null || !v.isTextual() || v.asText().isBlank()) {
      throw ApiException.invalid(field + " is required and must be a string.");
    }
    return v.asText();
  }

  private static Optional<Long> optionalLong(final ObjectNode body, final String field) {
    final JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isIntegralNumber()) {
      throw ApiException.invalid(field + " must be an integer.");
    }
    return Optional.of(v.asLong());
  }
}
