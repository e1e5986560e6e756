package dev.mandate.enclave.policy;

/** What a matching rule does; on the wire exactly {@code "ALLOW"} or {@code "DENY"}. */
public enum Action {
  ALLOW,
  DENY
}
