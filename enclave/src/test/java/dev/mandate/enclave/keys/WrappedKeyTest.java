package dev.mandate.enclave.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class WrappedKeyTest {
  private static final byte[] NONCE = new byte[12];
  private static final byte[] CIPHERTEXT = new byte[48];

  @Test
  void kmsKeySurvivesItsStorageForm() {
    final WrappedKey key = WrappedKey.kms("arn:aws:kms:us-east-1:123456789012:key/abc", new byte[] {1, 2, 3}, NONCE,
        CIPHERTEXT);

    final WrappedKey parsed = WrappedKey.parse(key.toStorageString());

    assertThat(parsed).isEqualTo(key);
    assertThat(parsed.kind()).isEqualTo(WrappedKey.Kind.KMS);
    assertThat(parsed.masterKeyId()).isEqualTo("arn:aws:kms:us-east-1:123456789012:key/abc");
    assertThat(parsed.encryptedDataKey()).hasValueSatisfying(k -> assertThat(k).containsExactly(1, 2, 3));
  }

  @Test
  void devKeyHasNoDataKey() {
    final WrappedKey key = WrappedKey.dev("dev-0011", NONCE, CIPHERTEXT);

    assertThat(key.toStorageString()).startsWith("wk1:dev:");
    assertThat(WrappedKey.parse(key.toStorageString()).encryptedDataKey()).isEmpty();
  }

  @Test
  void accessorsReturnCopies() {
    final WrappedKey key = WrappedKey.dev("dev-0011", NONCE, CIPHERTEXT);
    key.ciphertext()[0] = 9;
    key.nonce()[0] = 9;

    assertThat(key.ciphertext()[0]).isZero();
    assertThat(key.nonce()[0]).isZero();
  }

  @Test
  void malformedStorageStringsFailAsUnwrapFailures() {
    final String good = WrappedKey.dev("dev-0011", NONCE, CIPHERTEXT).toStorageString();
    for (final String bad : new String[] {
        "", "garbage", "wk2" + good.substring(3), good.replace("wk1:dev:", "wk1:xyz:"), good + ":extra",
        good.replace("wk1:dev:", "wk1:kms:"), good.substring(0, good.lastIndexOf(':') + 1) + "AAAA", good + "*",
        "wk1:dev::" + good.substring("wk1:dev:".length() + good.split(":")[2].length() + 1)}) {
      assertThatThrownBy(() -> WrappedKey.parse(bad)).as(bad).isInstanceOf(KeyUnwrapException.class);
    }
    assertThatThrownBy(() -> WrappedKey.parse(null)).isInstanceOf(KeyUnwrapException.class);
  }

  @Test
  void rejectsWrongNonceLength() {
    assertThatThrownBy(() -> WrappedKey.dev("dev-0011", new byte[8], CIPHERTEXT))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
