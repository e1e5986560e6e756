package dev.mandate.enclave.protocol;

/** Carries one request to the enclave and its response back. */
@FunctionalInterface
public interface EnclaveTransport {
  EnclaveResponse call(EnclaveRequest request);
}
