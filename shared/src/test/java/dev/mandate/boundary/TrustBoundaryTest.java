package dev.mandate.boundary;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mandate.enclave.protocol.EnclaveFactory;
import dev.mandate.enclave.protocol.EnclaveTransport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The trust boundary in the build (issue 9): the host links the enclave's protocol and pure libraries,
 * never its execution, keys or sealing. The poms make it so (and the enforcer plugin bans
 * {@code mandate-enclave} from this module); this test checks the result on the classpath the host
 * actually runs with.
 */
class TrustBoundaryTest {
  /** Packages and classes that hold, unwrap, use or seal with key material. */
  private static final List<String> TRUSTED_PACKAGES = List.of(
      "dev/mandate/enclave/execution/", "dev/mandate/enclave/keys/", "dev/mandate/enclave/session/");
  private static final List<String> TRUSTED_CLASSES = List.of(
      "dev/mandate/enclave/Enclave.class", "dev/mandate/enclave/Priming.class",
      "dev/mandate/enclave/records/RecordSealer.class",
      "dev/mandate/enclave/ethereum/Secp256k1PrivateKey.class", "dev/mandate/enclave/ethereum/RecoverableSigner.class",
      "dev/mandate/enclave/solana/Ed25519PrivateKey.class");

  @ParameterizedTest
  @ValueSource(strings = {
      "dev.mandate.enclave.Enclave",
      "dev.mandate.enclave.execution.Executor",
      "dev.mandate.enclave.keys.KeyWrapper",
      "dev.mandate.enclave.keys.KmsKeyWrapper",
      "dev.mandate.enclave.records.RecordSealer",
      "dev.mandate.enclave.session.HpkeSealer",
      "dev.mandate.enclave.ethereum.Secp256k1PrivateKey",
      "dev.mandate.enclave.solana.Ed25519PrivateKey"})
  void hostCannotLoadTheEnclavesTrustedClasses(final String trusted) {
    assertThatThrownBy(() -> Class.forName(trusted, false, getClass().getClassLoader()))
        .isInstanceOf(ClassNotFoundException.class);
  }

  @Test
  void noTrustedPackageIsOnTheHostsClasspath() throws IOException {
    for (final String pkg : TRUSTED_PACKAGES) {
      assertThat(Collections.list(getClass().getClassLoader().getResources(pkg))).as(pkg).isEmpty();
    }
  }

  @Test
  void withoutAComposedEnclaveTheHostRefusesToStart() {
    assertThatThrownBy(EnclaveFactory::load)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("found 0");
  }

  @Test
  void theProtocolModuleHoldsNoTrustedClass() throws IOException, URISyntaxException {
    final Path protocol = Path.of(EnclaveTransport.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    final List<String> entries = entries(protocol);
    assertThat(entries).as("classes of " + protocol).contains("dev/mandate/enclave/protocol/EnclaveTransport.class");
    assertThat(entries).noneMatch(entry -> TRUSTED_PACKAGES.stream().anyMatch(entry::startsWith));
    assertThat(entries).doesNotContainAnyElementsOf(TRUSTED_CLASSES);
  }

  /** Class-file paths of a jar or a classes directory, '/'-separated. */
  private static List<String> entries(final Path location) throws IOException {
    if (Files.isDirectory(location)) {
      try (Stream<Path> files = Files.walk(location)) {
        return files.filter(Files::isRegularFile)
            .map(file -> location.relativize(file).toString().replace('\\', '/'))
            .toList();
      }
    }
    try (JarFile jar = new JarFile(location.toFile())) {
      return jar.stream().map(entry -> entry.getName()).toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }
}
