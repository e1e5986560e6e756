package dev.mandate.enclave.execution;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.enclave.PolicyViolationException;
import dev.mandate.enclave.policy.Aggregation;
import dev.mandate.enclave.policy.Decision;
import dev.mandate.enclave.policy.EvaluationContext;
import dev.mandate.enclave.policy.Policy;
import dev.mandate.enclave.policy.PolicyEngine;
import dev.mandate.enclave.policy.PolicyInput;
import dev.mandate.enclave.records.ConditionSetRecord;
import dev.mandate.enclave.records.Docs;
import dev.mandate.enclave.records.WalletRecord;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Decides which policies apply to a signing request, given who authorized it, and evaluates them.
 *
 * <ul>
 *   <li>The owner (or, on an ownerless wallet, the app) is held to the wallet's {@code policy_ids}.
 *   <li>A signer with an override policy is held to that policy only; it never falls back to the
 *       wallet's policy or another signer's.
 *   <li>A signer without an override has no policy applied (the signer docs: "if not provided, no
 *       policies will apply to the signers requests").
 *   <li>No policy for a party means that party is unrestricted.
 *   <li>When one request's signatures satisfy several parties, each is a complete authorization on
 *       its own, so the request is allowed when <em>any</em> of them may make it; a denial reports
 *       every party's decision.
 * </ul>
 */
final class PolicyGate {
  private PolicyGate() {}

  /** The decision, as JSON for the caller; throws {@link PolicyViolationException} when denied unless dry-run. */
  static ObjectNode check(final Request request, final VerifiedRecords records, final WalletRecord wallet,
      final List<Party> parties, final PolicyInput input, final boolean dryRun, final Map<String, String> hostInputs) {
    return check(records, wallet, parties, dryRun, hostInputs, policy -> PolicyEngine.evaluate(policy, input,
        context(request, records, policy, input, hostInputs)));
  }

  /** As above, with the chain's own evaluation of one policy (the same party and policy selection). */
  static ObjectNode check(final VerifiedRecords records, final WalletRecord wallet, final List<Party> parties,
      final boolean dryRun, final Map<String, String> hostInputs,
      final java.util.function.Function<Policy, Decision> evaluator) {
    final List<ObjectNode> evaluations = new ArrayList<>();
    for (final Party party : parties) {
      final ObjectNode evaluation = evaluate(records, wallet, party, hostInputs, evaluator);
      evaluations.add(evaluation);
      if ("ALLOW".equals(evaluation.path("decision").asText())) {
        return evaluation;
      }
    }
    final ObjectNode denial = evaluations.get(0).deepCopy();
    if (evaluations.size() > 1) {
      final ArrayNode all = denial.putArray("evaluations");
      evaluations.forEach(all::add);
    }
    if (dryRun) {
      return denial;
    }
    throw new PolicyViolationException(denial.toString());
  }

  private static ObjectNode evaluate(final VerifiedRecords records, final WalletRecord wallet,
      final Party party, final Map<String, String> hostInputs,
      final java.util.function.Function<Policy, Decision> evaluator) {
    final List<String> policyIds = applicable(wallet, party);
    if (policyIds.isEmpty()) {
      return explain(party, Optional.empty(), Docs.object().put("decision", "ALLOW").putNull("rule")
          .put("reason", "no policy applies to this " + partyName(party)));
    }
    final String policyId = policyIds.get(0);
    if (party.kind() == Party.Kind.SIGNER) {
      final Optional<String> stale = SignerPins.stale(wallet, party.quorumId(), records);
      if (stale.isPresent()) {
        return explain(party, Optional.of(policyId), Docs.object().put("decision", "DENY").putNull("rule")
            .put("reason", stale.get()));
      }
    }
    final Optional<Policy> policy = records.policy(policyId);
    if (policy.isEmpty()) {
      return explain(party, Optional.of(policyId), Docs.object().put("decision", "DENY").putNull("rule")
          .put("reason", "policy " + policyId + " no longer exists"));
    }
    final List<String> missing = missingReferences(policy.get(), records, hostInputs);
    if (!missing.isEmpty()) {
      final ObjectNode refused = Docs.object().put("decision", "DENY").putNull("rule")
          .put("reason", "policy " + policyId + " refers to records that do not exist or were not loaded ("
              + String.join(", ", missing) + "); refused rather than evaluated without them");
      final ArrayNode list = refused.putArray("missing");
      missing.forEach(list::add);
      return explain(party, Optional.of(policyId), refused);
    }
    final Decision decision = policy.get().chainType().equals(wallet.chainType()) ? evaluator.apply(policy.get())
        : Decision.denied("policy " + policyId + " is for " + policy.get().chainType() + " wallets");
    return explain(party, Optional.of(policyId), decision.toJson());
  }

  /**
   * What the policy names but this request did not come with: a condition set of an
   * {@code in_condition_set} condition, an aggregation of a {@code reference} condition, the host's
   * sum for such an aggregation, or a condition set an aggregation's own conditions name. Any of them
   * missing would make a condition quietly false — a DENY that never fires, a cap that never binds —
   * so the policy is not evaluated at all (fail closed). Every rule counts, whatever its method.
   */
  static List<String> missingReferences(final Policy policy, final VerifiedRecords records,
      final Map<String, String> hostInputs) {
    final java.util.Set<String> missing = new java.util.LinkedHashSet<>();
    policy.rules().forEach(rule -> rule.conditions().forEach(condition -> {
      missingSets(condition, records, missing);
      if (condition.fieldSource() == dev.mandate.enclave.policy.FieldSource.REFERENCE) {
        final String id = condition.field().substring(AGGREGATION_FIELD_PREFIX.length());
        final Optional<Aggregation> aggregation = records.find(AggregationActions.KIND, id)
            .map(r -> Aggregation.fromDoc(Docs.parse(r.doc())));
        if (aggregation.isEmpty()) {
          missing.add("aggregation " + id);
        } else if (!hostInputs.containsKey(dev.mandate.enclave.protocol.Execute.AGGREGATE_PREFIX + id)) {
          missing.add("the window sum of aggregation " + id);
        } else {
          aggregation.get().conditions().forEach(c -> missingSets(c, records, missing));
        }
      }
    }));
    return List.copyOf(missing);
  }

  private static void missingSets(final dev.mandate.enclave.policy.Condition condition, final VerifiedRecords records,
      final java.util.Set<String> missing) {
    if (condition.operator() == dev.mandate.enclave.policy.Operator.IN_CONDITION_SET) {
      condition.values().stream().filter(id -> records.conditionSet(id).isEmpty())
          .forEach(id -> missing.add("condition set " + id));
    }
  }

  private static final String AGGREGATION_FIELD_PREFIX = "aggregation.";

  static List<String> applicable(final WalletRecord wallet, final Party party) {
    return switch (party.kind()) {
      case APP, OWNER -> wallet.policyIds();
      case SIGNER -> wallet.additionalSigners().stream()
          .filter(s -> s.signerId().equals(party.quorumId()))
          .findFirst()
          .map(WalletRecord.Signer::overridePolicyIds)
          .orElse(List.of());
    };
  }

  /**
   * Condition sets and aggregations as this request sees them. An aggregation's value is the sum the
   * host reports for the window before this request, plus what this request itself adds: a request
   * that would take the sum past a cap is denied before it is signed.
   */
  private static EvaluationContext context(final Request request, final VerifiedRecords records, final Policy policy,
      final PolicyInput input, final Map<String, String> hostInputs) {
    final Map<String, List<String>> sets = new java.util.HashMap<>();
    final List<Aggregation> aggregations = records.all(AggregationActions.KIND, r -> Aggregation.fromDoc(Docs.parse(r.doc())));
    final java.util.function.Consumer<dev.mandate.enclave.policy.Condition> addSets = condition -> {
      if (condition.operator() == dev.mandate.enclave.policy.Operator.IN_CONDITION_SET) {
        condition.values().forEach(id -> records.conditionSet(id).map(ConditionSetRecord::values)
            .ifPresent(values -> sets.put(id, values)));
      }
    };
    policy.rules().forEach(rule -> rule.conditions().forEach(addSets));
    // An aggregation's own conditions (which requests count) may name condition sets too.
    aggregations.forEach(aggregation -> aggregation.conditions().forEach(addSets));
    final EvaluationContext base = EvaluationContext.of(request.now, sets, Map.of());
    final Map<String, BigInteger> sums = new java.util.HashMap<>();
    for (final Aggregation aggregation : aggregations) {
      final BigInteger before = Optional.ofNullable(hostInputs.get(dev.mandate.enclave.protocol.Execute.AGGREGATE_PREFIX
          + aggregation.id())).map(BigInteger::new).orElse(BigInteger.ZERO);
      // A contribution that cannot be read from what is signed leaves the sum unknown: references fail closed.
      aggregation.contribution(input, base).ifPresent(own -> sums.put(aggregation.id(), before.add(own)));
    }
    return EvaluationContext.of(request.now, sets, sums);
  }

  private static ObjectNode explain(final Party party, final Optional<String> policyId, final ObjectNode decision) {
    final ObjectNode who = decision.putObject("party").put("type", partyName(party));
    if (party.quorumId() != null) {
      who.put("key_quorum_id", party.quorumId());
    }
    decision.put("policy_id", policyId.orElse(null));
    return decision;
  }

  private static String partyName(final Party party) {
    return switch (party.kind()) {
      case APP -> "app";
      case OWNER -> "owner";
      case SIGNER -> "signer";
    };
  }
}
