package dev.mandate.enclave.execution;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.enclave.Ids;
import dev.mandate.enclave.RecordMissingException;
import dev.mandate.enclave.authorization.UserSessionKeys;
import dev.mandate.enclave.policy.Policy;
import dev.mandate.enclave.policy.PolicyParser;
import dev.mandate.enclave.policy.Rule;
import dev.mandate.enclave.protocol.Executed;
import dev.mandate.enclave.protocol.SealedRecord;
import dev.mandate.enclave.records.Docs;
import dev.mandate.enclave.records.RecordSealer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Policies and their rules. An owned policy changes only with its owner's signatures; an ownerless one
 * with the app secret. Every version is sealed, so loosening a rule in the table is refused.
 */
final class PolicyActions {
  static final String KIND = "policy";

  Executed create(final Request request, final VerifiedRecords records, final RecordSealer sealer) {
    final ObjectNode body = request.body();
    final List<SealedRecord> created = new ArrayList<>();
    final Optional<String> owner = Owners.resolve(request, body, records, sealer, created);
    final Policy policy = PolicyParser.parsePolicy(body, Ids.mint(), request.now.toEpochMilli(), owner, Ids::mint);
    checkConditionSets(policy, records);
    final SealedRecord sealed = seal(request, sealer, policy);
    created.add(0, sealed);
    return new Executed(Optional.empty(), Optional.of(sealed), created, List.of(), List.of());
  }

  Executed update(final Request request, final VerifiedRecords records, final RecordSealer sealer, final String id,
      final SessionKeys users) {
    final Policy current = authorized(request, records, id, users);
    final ObjectNode body = request.body();
    final List<SealedRecord> created = new ArrayList<>();
    Policy updated = current.apply(PolicyParser.parsePolicyPatch(withoutOwner(body), Ids::mint));
    if (body.has("owner") || body.has("owner_id")) {
      updated = updated.withOwnerId(Owners.resolve(request, body, records, sealer, created));
    }
    checkConditionSets(updated, records);
    final SealedRecord sealed = seal(request, sealer, updated);
    return new Executed(Optional.empty(), Optional.of(sealed), created, List.of(sealed), List.of());
  }

  Executed delete(final Request request, final VerifiedRecords records, final String id,
      final SessionKeys users) {
    authorized(request, records, id, users);
    return new Executed(Optional.of(Docs.object().put("success", true).toString()), Optional.empty(),
        List.of(), List.of(), List.of(records.find(KIND, id).orElseThrow()));
  }

  Executed addRule(final Request request, final VerifiedRecords records, final RecordSealer sealer, final String id,
      final SessionKeys users) {
    final Policy current = authorized(request, records, id, users);
    final Rule rule = PolicyParser.parseRule(request.body(), Ids.mint());
    final Policy updated = current.withRule(rule);
    checkConditionSets(updated, records);
    return ruleResult(request, sealer, updated, rule);
  }

  Executed updateRule(final Request request, final VerifiedRecords records, final RecordSealer sealer,
      final String id, final String ruleId, final SessionKeys users) {
    final Policy current = authorized(request, records, id, users);
    final Rule existing = current.rule(ruleId).orElseThrow(() -> new RecordMissingException("Rule not found."));
    final Rule rule = PolicyParser.parseRulePatch(request.body(), existing);
    final Policy updated = current.withRuleReplaced(rule);
    checkConditionSets(updated, records);
    return ruleResult(request, sealer, updated, rule);
  }

  Executed deleteRule(final Request request, final VerifiedRecords records, final RecordSealer sealer,
      final String id, final String ruleId, final SessionKeys users) {
    final Policy current = authorized(request, records, id, users);
    current.rule(ruleId).orElseThrow(() -> new RecordMissingException("Rule not found."));
    final SealedRecord sealed = seal(request, sealer, current.withoutRule(ruleId));
    return new Executed(Optional.of(Docs.object().put("success", true).toString()), Optional.of(sealed),
        List.of(), List.of(sealed), List.of());
  }

  private Executed ruleResult(final Request request, final RecordSealer sealer, final Policy updated, final Rule rule) {
    final SealedRecord sealed = seal(request, sealer, updated);
    return new Executed(Optional.of(rule.toJson().toString()), Optional.of(sealed), List.of(), List.of(sealed), List.of());
  }

  /** The policy, once its owner (or, when it has none, the app) has authorized the request. */
  private static Policy authorized(final Request request, final VerifiedRecords records, final String id,
      final SessionKeys users) {
    final Policy policy = records.policy(id).orElseThrow(() -> new RecordMissingException("Policy not found."));
    Authorizer.owner(request, records, policy.ownerId(), users);
    return policy;
  }

  /** A policy may only test condition sets of its own app. */
  private static void checkConditionSets(final Policy policy, final VerifiedRecords records) {
    for (final Rule rule : policy.rules()) {
      rule.conditions().forEach(c -> {
        if (c.operator() == dev.mandate.enclave.policy.Operator.IN_CONDITION_SET) {
          c.values().forEach(set -> records.conditionSet(set).orElseThrow(() ->
              new dev.mandate.enclave.InvalidRequestException(
                  "Condition set " + set + " does not exist.", "invalid_policy_format")));
        }
      });
    }
  }

  private static ObjectNode withoutOwner(final ObjectNode body) {
    final ObjectNode copy = body.deepCopy();
    copy.remove("owner");
    copy.remove("owner_id");
    return copy;
  }

  private static SealedRecord seal(final Request request, final RecordSealer sealer, final Policy policy) {
    return sealer.seal(request.appId, KIND, policy.id(), policy.toDoc().toString());
  }
}
