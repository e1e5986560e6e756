package dev.mandate.quorum;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.api.ApiException;
import dev.mandate.api.ApiResponse;
import dev.mandate.api.Json;
import dev.mandate.api.Route;
import dev.mandate.enclave.protocol.Executed;
import dev.mandate.enclave.records.QuorumRecord;
import dev.mandate.signing.EnclaveGateway;
import dev.mandate.signing.RecordLoader;
import dev.mandate.signing.RecordRef;
import dev.mandate.store.Store;
import java.util.ArrayList;
import java.util.List;

/** Key quorums: {@code POST/GET/PATCH/DELETE /v1/key_quorums[/{id}]}. */
public final class KeyQuorumService {
  private final Store store;
  private final EnclaveGateway enclave;

  public KeyQuorumService(final Store store, final EnclaveGateway enclave) {
    this.store = store;
    this.enclave = enclave;
  }

  public List<Route> routes() {
    return List.of(
        new Route("POST", "/v1/key_quorums", this::create),
        new Route("GET", "/v1/key_quorums/{key_quorum_id}", this::get),
        new Route("PATCH", "/v1/key_quorums/{key_quorum_id}", this::update),
        new Route("DELETE", "/v1/key_quorums/{key_quorum_id}", this::delete));
  }

  ApiResponse create(final Route.Call call) {
    final ObjectNode body = Json.bodyObject(call.request().body());
    final Executed executed = enclave.execute(call, RecordLoader.fromBody(body), false);
    return ApiResponse.ok(QuorumRecord.fromDoc(executed.primary().orElseThrow().doc()).toApiJson());
  }

  ApiResponse get(final Route.Call call) {
    return store.get(call.appId(), RecordRef.KEY_QUORUM, call.param("key_quorum_id"))
        .map(item -> ApiResponse.ok(QuorumRecord.fromDoc(item.doc()).toApiJson()))
        .orElseThrow(() -> ApiException.notFound("Key quorum not found."));
  }

  ApiResponse update(final Route.Call call) {
    final ObjectNode body = Json.bodyObject(call.request().body());
    final Executed executed = enclave.execute(call, roots(call, body), false);
    return ApiResponse.ok(QuorumRecord.fromDoc(executed.primary().orElseThrow().doc()).toApiJson());
  }

  ApiResponse delete(final Route.Call call) {
    final Executed executed = enclave.execute(call, roots(call, Json.object()), false);
    return ApiResponse.ok(Json.parseStored(executed.result().orElseThrow()));
  }

  private List<RecordRef> roots(final Route.Call call, final ObjectNode body) {
    final String id = call.param("key_quorum_id");
    if (store.get(call.appId(), RecordRef.KEY_QUORUM, id).isEmpty()) {
      throw ApiException.notFound("Key quorum not found.");
    }
    final List<RecordRef> roots = new ArrayList<>(List.of(RecordRef.quorum(id)));
    roots.addAll(RecordLoader.fromBody(body));
    return roots;
  }
}
