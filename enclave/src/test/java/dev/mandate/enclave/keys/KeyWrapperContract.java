package dev.mandate.enclave.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** What every {@link KeyWrapper} guarantees; subclasses supply the wrapper. */
abstract class KeyWrapperContract {
  static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
  static final KeyContext CONTEXT = KeyContext.walletKey("app-a", "wallet-1");

  abstract KeyWrapper wrapper();

  @Test
  void unwrapsWhatItWrapped() {
    final WrappedKey wrapped = wrapper().wrap(SECRET, CONTEXT);

    assertThat(wrapper().unwrap(wrapped, CONTEXT)).isEqualTo(SECRET);
  }

  @Test
  void unwrapsAfterAStorageRoundTrip() {
    final String stored = wrapper().wrap(SECRET, CONTEXT).toStorageString();

    assertThat(wrapper().unwrap(WrappedKey.parse(stored), CONTEXT)).isEqualTo(SECRET);
  }

  @Test
  void storedFormDoesNotContainThePlaintext() {
    final WrappedKey wrapped = wrapper().wrap(SECRET, CONTEXT);

    assertThat(wrapped.toStorageString()).doesNotContain(new String(SECRET, StandardCharsets.US_ASCII));
    assertThat(new String(wrapped.ciphertext(), StandardCharsets.ISO_8859_1))
        .doesNotContain(new String(SECRET, StandardCharsets.ISO_8859_1));
  }

  @Test
  void wrappingTwiceGivesDifferentCiphertexts() {
    assertThat(wrapper().wrap(SECRET, CONTEXT)).isNotEqualTo(wrapper().wrap(SECRET, CONTEXT));
  }

  @Test
  void keyCopiedOntoAnotherWalletDoesNotUnwrap() {
    final WrappedKey wrapped = wrapper().wrap(SECRET, CONTEXT);

    assertThatThrownBy(() -> wrapper().unwrap(wrapped, KeyContext.walletKey("app-a", "wallet-2")))
        .isInstanceOf(KeyUnwrapException.class);
  }

  @Test
  void keyCopiedIntoAnotherAppDoesNotUnwrap() {
    final WrappedKey wrapped = wrapper().wrap(SECRET, CONTEXT);

    assertThatThrownBy(() -> wrapper().unwrap(wrapped, KeyContext.walletKey("app-b", "wallet-1")))
        .isInstanceOf(KeyUnwrapException.class);
  }

  @Test
  void keyUsedForAnotherPurposeDoesNotUnwrap() {
    final WrappedKey wrapped = wrapper().wrap(SECRET, CONTEXT);

    assertThatThrownBy(() -> wrapper().unwrap(wrapped, KeyContext.recordSeal("app-a", "wallet-1")))
        .isInstanceOf(KeyUnwrapException.class);
  }

  @Test
  void tamperedCiphertextDoesNotUnwrap() {
    final WrappedKey wrapped = wrapper().wrap(SECRET, CONTEXT);
    final byte[] ciphertext = wrapped.ciphertext();
    ciphertext[3] ^= 0x01;

    assertThatThrownBy(() -> wrapper().unwrap(rebuild(wrapped, wrapped.nonce(), ciphertext), CONTEXT))
        .isInstanceOf(KeyUnwrapException.class);
  }

  @Test
  void tamperedNonceDoesNotUnwrap() {
    final WrappedKey wrapped = wrapper().wrap(SECRET, CONTEXT);
    final byte[] nonce = wrapped.nonce();
    nonce[0] ^= 0x01;

    assertThatThrownBy(() -> wrapper().unwrap(rebuild(wrapped, nonce, wrapped.ciphertext()), CONTEXT))
        .isInstanceOf(KeyUnwrapException.class);
  }

  @Test
  void errorMessagesCarryNoSecret() {
    final WrappedKey wrapped = wrapper().wrap(SECRET, CONTEXT);

    assertThatThrownBy(() -> wrapper().unwrap(wrapped, KeyContext.walletKey("app-a", "wallet-2")))
        .message().doesNotContain(new String(SECRET, StandardCharsets.US_ASCII));
  }

  static WrappedKey rebuild(final WrappedKey original, final byte[] nonce, final byte[] ciphertext) {
    return switch (original.kind()) {
      case KMS -> WrappedKey.kms(original.masterKeyId(), original.encryptedDataKey().orElseThrow(), nonce, ciphertext);
      case DEV -> WrappedKey.dev(original.masterKeyId(), nonce, ciphertext);
    };
  }
}
