package dev.mandate.enclave.protocol;

/**
 * A message into the enclave. Every request and response is a plain, serializable value
 * ({@link MessageCodec}), so the in-process transport used in Lambda today can be swapped for a vsock
 * one (a real Nitro Enclave) without touching callers.
 */
public sealed interface EnclaveRequest permits CreateSealKey, Execute {}
