package dev.mandate.enclave.policy;

import java.util.Arrays;
import java.util.Optional;

/** A condition operator, by its wire name (privy-api.md §8.5). */
public enum Operator {
  EQ("eq"),
  GT("gt"),
  GTE("gte"),
  LT("lt"),
  LTE("lte"),
  /** The value is an array of at most {@value PolicyParser#MAX_IN_VALUES} strings. */
  IN("in"),
  /** The value is the id of a condition set, resolved through {@link EvaluationContext}. */
  IN_CONDITION_SET("in_condition_set"),
  /** Substring tests (Privy's node SDK, Aug 2026) on text, address and bytes fields; see {@link FieldValue}. */
  CONTAINS("contains"),
  STARTS_WITH("starts_with"),
  ENDS_WITH("ends_with");

  private final String wire;

  Operator(final String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }

  public boolean isOrdering() {
    return this == GT || this == GTE || this == LT || this == LTE;
  }

  public boolean isSubstring() {
    return this == CONTAINS || this == STARTS_WITH || this == ENDS_WITH;
  }

  public static Optional<Operator> fromWire(final String wire) {
    return Arrays.stream(values()).filter(o -> o.wire.equals(wire)).findFirst();
  }
}
