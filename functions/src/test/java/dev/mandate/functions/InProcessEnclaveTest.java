package dev.mandate.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mandate.enclave.protocol.EnclaveFactory;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;

class InProcessEnclaveTest {
  @Test
  void theFunctionsJarComposesExactlyTheInProcessEnclave() {
    assertThat(ServiceLoader.load(EnclaveFactory.class).stream().map(ServiceLoader.Provider::type))
        .containsExactly(InProcessEnclave.class);
  }
}
