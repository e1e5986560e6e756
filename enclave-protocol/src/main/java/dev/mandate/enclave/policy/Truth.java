package dev.mandate.enclave.policy;

/**
 * Whether a condition or rule holds: {@code UNKNOWN} when a field it reads is not determined by
 * what is signed. An unknown ALLOW rule does not allow; an unknown DENY rule denies (fail closed).
 */
enum Truth {
  TRUE,
  FALSE,
  UNKNOWN;

  static Truth of(final boolean holds) {
    return holds ? TRUE : FALSE;
  }

  /** Conjunction: any FALSE makes it false, else any UNKNOWN makes it unknown. */
  Truth and(final Truth other) {
    if (this == FALSE || other == FALSE) {
      return FALSE;
    }
    return this == UNKNOWN || other == UNKNOWN ? UNKNOWN : TRUE;
  }
}
