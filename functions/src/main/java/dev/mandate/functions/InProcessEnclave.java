package dev.mandate.functions;

import dev.mandate.enclave.Enclave;
import dev.mandate.enclave.keys.KeyWrappers;
import dev.mandate.enclave.protocol.EnclaveFactory;
import dev.mandate.enclave.protocol.EnclaveTransport;

/**
 * The composition root's half of the trust boundary: the functions jar links the enclave module and
 * builds it in process ({@code MANDATE_KEY_WRAPPER}: KMS or dev). The host ({@code mandate-shared})
 * reaches it only through {@link EnclaveFactory} and {@link EnclaveTransport}.
 */
public final class InProcessEnclave implements EnclaveFactory {
  @Override
  public EnclaveTransport fromEnvironment() {
    return new Enclave(KeyWrappers.fromEnvironment())::handle;
  }
}
