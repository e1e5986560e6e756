package dev.mandate.enclave.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeyContextTest {

  @Test
  void becomesTheKmsEncryptionContext() {
    assertThat(KeyContext.walletKey("app1", "w1").encryptionContext())
        .containsOnly(
            org.assertj.core.api.Assertions.entry("purpose", "wallet-key"),
            org.assertj.core.api.Assertions.entry("app_id", "app1"),
            org.assertj.core.api.Assertions.entry("resource_id", "w1"));
  }

  @Test
  void aadIsDeterministic() {
    assertThat(KeyContext.recordSeal("app1", "global").aad())
        .isEqualTo(new KeyContext("record-seal", "app1", "global").aad());
  }

  @Test
  void aadKeepsFieldBoundaries() {
    assertThat(new KeyContext("p", "ab", "c").aad()).isNotEqualTo(new KeyContext("p", "a", "bc").aad());
  }

  @Test
  void rejectsBlankFields() {
    assertThatThrownBy(() -> KeyContext.walletKey("app1", " ")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> KeyContext.walletKey(null, "w1")).isInstanceOf(IllegalArgumentException.class);
  }
}
