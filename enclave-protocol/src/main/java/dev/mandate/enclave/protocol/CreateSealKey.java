package dev.mandate.enclave.protocol;

/**
 * Asks the enclave for a new record-sealing master key, wrapped. The host stores the wrapped key once
 * (a conditional write; the first one wins) and passes it with every {@link Execute}.
 */
public record CreateSealKey() implements EnclaveRequest {}
