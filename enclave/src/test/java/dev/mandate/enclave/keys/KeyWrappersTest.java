package dev.mandate.enclave.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyWrappersTest {
  @TempDir
  Path dir;

  @AfterEach
  void clearProperties() {
    System.clearProperty(KeyWrappers.WRAPPER_SETTING);
    System.clearProperty(DevKeyWrapper.KEY_FILE_SETTING);
    System.clearProperty(KmsKeyWrapper.KEY_ID_SETTING);
  }

  @Test
  void devSettingGivesTheDevWrapperOnTheConfiguredFile() {
    System.setProperty(KeyWrappers.WRAPPER_SETTING, "dev");
    System.setProperty(DevKeyWrapper.KEY_FILE_SETTING, dir.resolve("k.key").toString());

    final KeyWrapper wrapper = KeyWrappers.fromEnvironment();

    assertThat(wrapper).isInstanceOf(DevKeyWrapper.class);
    assertThat(((DevKeyWrapper) wrapper).keyFile()).isEqualTo(dir.resolve("k.key"));
  }

  @Test
  void kmsSettingGivesTheKmsWrapperWithTheConfiguredKey() {
    System.setProperty(KeyWrappers.WRAPPER_SETTING, "KMS");
    System.setProperty(KmsKeyWrapper.KEY_ID_SETTING, "alias/mandate");
    System.setProperty("aws.region", "us-east-1");
    try {
      final KeyWrapper wrapper = KeyWrappers.fromEnvironment();

      assertThat(wrapper).isInstanceOf(KmsKeyWrapper.class);
      assertThat(((KmsKeyWrapper) wrapper).keyId()).isEqualTo("alias/mandate");
    } finally {
      System.clearProperty("aws.region");
    }
  }

  @Test
  void unknownSettingIsRejected() {
    System.setProperty(KeyWrappers.WRAPPER_SETTING, "plaintext");

    assertThatThrownBy(KeyWrappers::fromEnvironment)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("kms or dev");
  }
}
