package dev.mandate.enclave.protocol;

import java.util.ServiceLoader;

/**
 * Builds, from the process's configuration, the enclave the host talks to. The host links only this
 * interface and {@link EnclaveTransport}; a composition root that also links the enclave (the functions
 * jar, and so the local runner) implements it and names the implementation in
 * {@code META-INF/services/dev.mandate.enclave.protocol.EnclaveFactory}. Host code never names the
 * enclave's execution, key or sealing classes.
 */
public interface EnclaveFactory {
  /** The enclave as configured by the environment (key wrapper, KMS key). */
  EnclaveTransport fromEnvironment();

  /** The enclave of the one factory on the classpath; refuses to start without exactly one. */
  static EnclaveTransport load() {
    final var factories = ServiceLoader.load(EnclaveFactory.class).stream().toList();
    if (factories.size() != 1) {
      throw new IllegalStateException("expected exactly one " + EnclaveFactory.class.getName()
          + " on the classpath (the functions jar provides it), found " + factories.size());
    }
    return factories.get(0).get().fromEnvironment();
  }
}
