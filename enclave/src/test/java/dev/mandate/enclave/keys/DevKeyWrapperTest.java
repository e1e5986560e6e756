package dev.mandate.enclave.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevKeyWrapperTest extends KeyWrapperContract {
  @TempDir
  Path dir;
  private DevKeyWrapper wrapper;

  @BeforeEach
  void setUp() {
    wrapper = DevKeyWrapper.builder().keyFile(dir.resolve("keys/dev-master.key")).build();
  }

  @Override
  KeyWrapper wrapper() {
    return wrapper;
  }

  @Test
  void createsTheMasterKeyOnFirstUseNotOnConstruction() throws IOException {
    final Path file = dir.resolve("keys/dev-master.key");
    assertThat(file).doesNotExist();

    wrapper.wrap(SECRET, CONTEXT);

    assertThat(Files.size(file)).isEqualTo(32);
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
  }

  @Test
  void anotherInstanceOnTheSameFileUnwraps() {
    final WrappedKey wrapped = wrapper.wrap(SECRET, CONTEXT);

    final DevKeyWrapper other = DevKeyWrapper.builder().keyFile(wrapper.keyFile()).build();

    assertThat(other.unwrap(wrapped, CONTEXT)).isEqualTo(SECRET);
  }

  @Test
  void anotherMasterKeyCannotUnwrap() {
    final WrappedKey wrapped = wrapper.wrap(SECRET, CONTEXT);

    final DevKeyWrapper other = DevKeyWrapper.builder().keyFile(dir.resolve("other.key")).build();

    assertThatThrownBy(() -> other.unwrap(wrapped, CONTEXT))
        .isInstanceOf(KeyUnwrapException.class)
        .hasMessageContaining("another dev master key");
  }

  @Test
  void refusesKmsWrappedKeys() {
    final WrappedKey kms = WrappedKey.kms("arn:aws:kms:us-east-1:1:key/x", new byte[] {1}, new byte[12], new byte[32]);

    assertThatThrownBy(() -> wrapper.unwrap(kms, CONTEXT)).isInstanceOf(KeyUnwrapException.class);
  }

  @Test
  void refusesAMasterKeyFileOfTheWrongSize() throws IOException {
    final Path file = dir.resolve("short.key");
    Files.write(file, new byte[16]);

    assertThatThrownBy(() -> DevKeyWrapper.builder().keyFile(file).build().wrap(SECRET, CONTEXT))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("32 bytes");
  }
}
