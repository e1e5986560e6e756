package dev.mandate.enclave.protocol;

/** A message out of the enclave: a result, or a {@link Refused} that says why nothing was done. */
public sealed interface EnclaveResponse permits SealKeyCreated, Executed, Refused {}
