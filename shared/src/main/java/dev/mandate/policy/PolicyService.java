package dev.mandate.policy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.api.ApiException;
import dev.mandate.api.ApiResponse;
import dev.mandate.api.Idempotency;
import dev.mandate.api.Json;
import dev.mandate.api.Route;
import dev.mandate.enclave.policy.Policy;
import dev.mandate.enclave.protocol.Executed;
import dev.mandate.enclave.records.ConditionSetRecord;
import dev.mandate.enclave.records.Docs;
import dev.mandate.signing.EnclaveGateway;
import dev.mandate.signing.RecordLoader;
import dev.mandate.signing.RecordRef;
import dev.mandate.store.Item;
import dev.mandate.store.Store;
import java.util.ArrayList;
import java.util.List;

/**
 * Policies, their rules, and condition sets. Every change is decided and sealed by the enclave
 * (owner-signed when the resource has an owner); reads come from the store.
 */
public final class PolicyService {
  private final Store store;
  private final EnclaveGateway enclave;
  private final Idempotency idempotency;

  public PolicyService(final Store store, final EnclaveGateway enclave, final Idempotency idempotency) {
    this.store = store;
    this.enclave = enclave;
    this.idempotency = idempotency;
  }

  public List<Route> routes() {
    return List.of(
        new Route("POST", "/v1/policies", this::create),
        new Route("GET", "/v1/policies/{policy_id}", this::get),
        new Route("PATCH", "/v1/policies/{policy_id}", call -> policyView(change(call, "policy_id", RecordRef.POLICY))),
        new Route("DELETE", "/v1/policies/{policy_id}", call -> result(change(call, "policy_id", RecordRef.POLICY))),
        new Route("POST", "/v1/policies/{policy_id}/rules", call -> result(change(call, "policy_id", RecordRef.POLICY))),
        new Route("GET", "/v1/policies/{policy_id}/rules/{rule_id}", this::getRule),
        new Route("PATCH", "/v1/policies/{policy_id}/rules/{rule_id}", call -> result(change(call, "policy_id", RecordRef.POLICY))),
        new Route("DELETE", "/v1/policies/{policy_id}/rules/{rule_id}", call -> result(change(call, "policy_id", RecordRef.POLICY))),
        new Route("POST", "/v1/condition_sets", call -> setView(enclave.execute(call, refs(call), false))),
        new Route("GET", "/v1/condition_sets/{condition_set_id}", call -> ApiResponse.ok(conditionSet(call).toApiJson())),
        new Route("PATCH", "/v1/condition_sets/{condition_set_id}", call -> setView(change(call, "condition_set_id", RecordRef.CONDITION_SET))),
        new Route("DELETE", "/v1/condition_sets/{condition_set_id}", call -> result(change(call, "condition_set_id", RecordRef.CONDITION_SET))),
        new Route("GET", "/v1/condition_sets/{condition_set_id}/condition_set_items", call -> ApiResponse.ok(conditionSet(call).itemsJson())),
        new Route("POST", "/v1/condition_sets/{condition_set_id}/condition_set_items", call -> result(change(call, "condition_set_id", RecordRef.CONDITION_SET))),
        new Route("PUT", "/v1/condition_sets/{condition_set_id}/condition_set_items", call -> result(change(call, "condition_set_id", RecordRef.CONDITION_SET))),
        new Route("DELETE", "/v1/condition_sets/{condition_set_id}/condition_set_items/{item_id}", call -> result(change(call, "condition_set_id", RecordRef.CONDITION_SET))),
        new Route("POST", "/v1/aggregations", call -> aggregationView(enclave.execute(call, refs(call), false))),
        new Route("GET", "/v1/aggregations/{aggregation_id}", this::getAggregation),
        new Route("DELETE", "/v1/aggregations/{aggregation_id}", call -> result(change(call, "aggregation_id", RecordRef.AGGREGATION))));
  }

  ApiResponse create(final Route.Call call) {
    final List<RecordRef> roots = refs(call);
    return idempotency.run(call, () -> policyView(enclave.execute(call, roots, false)));
  }

  ApiResponse get(final Route.Call call) {
    return ApiResponse.ok(policy(call).toApiJson());
  }

  ApiResponse getRule(final Route.Call call) {
    return policy(call).rule(call.param("rule_id"))
        .map(rule -> ApiResponse.ok(rule.toJson()))
        .orElseThrow(() -> ApiException.notFound("Rule not found."));
  }

  /** Runs a change to an existing record through the enclave: the record, plus what the body names. */
  private Executed change(final Route.Call call, final String param, final String kind) {
    final List<RecordRef> roots = new ArrayList<>();
    roots.add(new RecordRef(kind, call.param(param)));
    roots.addAll(refs(call));
    return enclave.execute(call, roots, false);
  }

  private static List<RecordRef> refs(final Route.Call call) {
    final String body = call.request().body().orElse("");
    if (body.isBlank() || body.trim().startsWith("[")) {
      return List.of();
    }
    return RecordLoader.fromBody(Json.bodyObject(call.request().body()));
  }

  private Policy policy(final Route.Call call) {
    final Item item = store.get(call.appId(), RecordRef.POLICY, call.param("policy_id"))
        .orElseThrow(() -> ApiException.notFound("Policy not found."));
    return Policy.fromDoc(Docs.parse(item.doc()));
  }

  private ConditionSetRecord conditionSet(final Route.Call call) {
    return store.get(call.appId(), RecordRef.CONDITION_SET, call.param("condition_set_id"))
        .map(item -> ConditionSetRecord.fromDoc(item.doc()))
        .orElseThrow(() -> ApiException.notFound("Condition set not found."));
  }

  private static ApiResponse policyView(final Executed executed) {
    return ApiResponse.ok(Policy.fromDoc(Docs.parse(executed.primary().orElseThrow().doc())).toApiJson());
  }

  ApiResponse getAggregation(final Route.Call call) {
    return store.get(call.appId(), RecordRef.AGGREGATION, call.param("aggregation_id"))
        .map(item -> ApiResponse.ok(dev.mandate.enclave.policy.Aggregation.fromDoc(Docs.parse(item.doc())).toApiJson()))
        .orElseThrow(() -> ApiException.notFound("Aggregation not found."));
  }

  private static ApiResponse aggregationView(final Executed executed) {
    return ApiResponse.ok(dev.mandate.enclave.policy.Aggregation.fromDoc(Docs.parse(executed.primary().orElseThrow().doc()))
        .toApiJson());
  }

  private static ApiResponse setView(final Executed executed) {
    return ApiResponse.ok(ConditionSetRecord.fromDoc(executed.primary().orElseThrow().doc()).toApiJson());
  }

  private static ApiResponse result(final Executed executed) {
    final ObjectNode fallback = Json.object().put("success", true);
    return ApiResponse.ok(executed.result().map(r -> (com.fasterxml.jackson.databind.JsonNode) Json.parseStored(r))
        .orElse(fallback));
  }
}
