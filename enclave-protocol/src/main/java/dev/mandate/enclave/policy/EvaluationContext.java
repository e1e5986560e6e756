package dev.mandate.enclave.policy;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the engine needs beyond the policy and the request: the clock and the state the caller
 * keeps (condition sets, aggregation sums). The engine never does I/O; the caller looks these up
 * before (or while) evaluating.
 */
public interface EvaluationContext {
  /** The evaluation time, for {@code system.current_unix_timestamp} (read in whole seconds). */
  Instant now();

  /** The values of a condition set, for {@code in_condition_set}; empty when there is no such set. */
  Optional<List<String>> conditionSetValues(String conditionSetId);

  /**
   * The current rolling-window sum of an aggregation, for {@code reference} conditions ({@code
   * aggregation.<id>}), <b>including the current request's own contribution</b> ({@link
   * Aggregation#contribution}) when the request counts towards it, so {@code lte <cap>} means "this
   * request keeps the window within the cap", as in Privy. For an aggregation with {@code
   * group_by}, the sum of the current request's group ({@link Aggregation#groupKey}). Empty when
   * there is no such aggregation; the condition then does not hold.
   */
  Optional<BigInteger> aggregationValue(String aggregationId);

  /** A context with a clock only: no condition sets, no aggregations. */
  static EvaluationContext at(final Instant now) {
    return of(now, Map.of(), Map.of());
  }

  /** A context over fixed maps (tests, or a caller that loaded everything up front). */
  static EvaluationContext of(
      final Instant now, final Map<String, List<String>> conditionSets, final Map<String, BigInteger> aggregations) {
    final Map<String, List<String>> sets = Map.copyOf(conditionSets);
    final Map<String, BigInteger> sums = Map.copyOf(aggregations);
    return new EvaluationContext() {
      @Override
      public Instant now() {
        return now;
      }

      @Override
      public Optional<List<String>> conditionSetValues(final String conditionSetId) {
        return Optional.ofNullable(sets.get(conditionSetId));
      }

      @Override
      public Optional<BigInteger> aggregationValue(final String aggregationId) {
        return Optional.ofNullable(sums.get(aggregationId));
      }
    };
  }
}
