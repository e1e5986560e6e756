package dev.mandate.enclave.protocol;

/** A freshly generated sealing key; ciphertext only. */
public record SealKeyCreated(String wrappedSealKey) implements EnclaveResponse {}
