package dev.mandate.enclave.policy;

import java.util.Optional;

/**
 * A field as read from a {@link PolicyInput}: a value; absent from what is signed (a contract
 * creation has no {@code to}: conditions on it are false); or unreadable (the signed object leaves it
 * open, e.g. a typed-data domain that does not declare {@code chainId}, calldata that does not decode
 * against the ABI): conditions on it are unknown, and the engine fails closed on unknown.
 */
record Reading(Optional<FieldValue> value, boolean unreadable) {
  static final Reading ABSENT = new Reading(Optional.empty(), false);
  static final Reading UNREADABLE = new Reading(Optional.empty(), true);

  static Reading of(final FieldValue value) {
    return new Reading(Optional.of(value), false);
  }

  /** A value, or {@link #ABSENT} when empty. */
  static Reading orAbsent(final Optional<FieldValue> value) {
    return value.map(Reading::of).orElse(ABSENT);
  }

  /** A value, or {@link #UNREADABLE} when empty. */
  static Reading orUnreadable(final Optional<FieldValue> value) {
    return value.map(Reading::of).orElse(UNREADABLE);
  }
}
