package dev.mandate.recurring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mandate.enclave.keys.DevKeyWrapper;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ActionSignersTest {
  private static final String SETTING = "MANDATE_KEY_WRAPPER";

  @TempDir
  Path dir;
  private final String savedWrapper = System.getProperty(SETTING);
  private final String savedRegion = System.getProperty("aws.region");

  @AfterEach
  void restore() {
    restore(SETTING, savedWrapper);
    restore("aws.region", savedRegion);
  }

  private static void restore(final String name, final String value) {
    if (value == null) {
      System.clearProperty(name);
    } else {
      System.setProperty(name, value);
    }
  }

  private DevKeyWrapper devWrapper() {
    return DevKeyWrapper.builder().keyFile(dir.resolve("dev-master.key")).build();
  }

  @Test
  void devWrapperGivesTheDevSigner() {
    System.setProperty(SETTING, "dev");
    assertThat(ActionSigners.fromEnvironment(devWrapper())).isInstanceOf(DevActionSigner.class);
  }

  @Test
  void kmsWrapperGivesTheKmsSigner() {
    System.setProperty(SETTING, "kms");
    // The SDK needs a region to build a client; no call is made.
    System.setProperty("aws.region", "us-east-1");
    assertThat(ActionSigners.fromEnvironment(devWrapper())).isInstanceOf(KmsActionSigner.class);
  }

  @Test
  void anythingElseIsRefused() {
    System.setProperty(SETTING, "plaintext");
    assertThatThrownBy(() -> ActionSigners.fromEnvironment(devWrapper())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kms or dev");
  }
}
