package dev.mandate.enclave.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mandate.testkit.AwsTestClients;
import dev.mandate.testkit.MotoServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;

class KmsKeyWrapperTest extends KeyWrapperContract {
  private static MotoServer moto;
  private static KmsClient kms;
  private static KmsKeyWrapper wrapper;

  @BeforeAll
  static void startMoto() {
    moto = MotoServer.start();
    kms = AwsTestClients.configure(KmsClient.builder(), moto.endpoint());
    final String keyId = kms.createKey(r -> r.keySpec(KeySpec.SYMMETRIC_DEFAULT)).keyMetadata().keyId();
    wrapper = KmsKeyWrapper.builder().kmsClient(kms).keyId(keyId).build();
  }

  @AfterAll
  static void stopMoto() {
    kms.close();
    moto.close();
  }

  @Override
  KeyWrapper wrapper() {
    return wrapper;
  }

  @Test
  void recordsTheKeyArnAndTheEncryptedDataKey() {
    final WrappedKey wrapped = wrapper.wrap(SECRET, CONTEXT);

    assertThat(wrapped.kind()).isEqualTo(WrappedKey.Kind.KMS);
    assertThat(wrapped.masterKeyId()).startsWith("arn:aws:kms:").endsWith(wrapper.keyId());
    assertThat(wrapped.encryptedDataKey()).isPresent();
  }

  @Test
  void tamperedEncryptedDataKeyDoesNotUnwrap() {
    final WrappedKey wrapped = wrapper.wrap(SECRET, CONTEXT);
    final byte[] dataKey = wrapped.encryptedDataKey().orElseThrow();
    dataKey[dataKey.length - 1] ^= 0x01;
    final WrappedKey tampered = WrappedKey.kms(wrapped.masterKeyId(), dataKey, wrapped.nonce(), wrapped.ciphertext());

    assertThatThrownBy(() -> wrapper.unwrap(tampered, CONTEXT)).isInstanceOf(KeyUnwrapException.class);
  }

  @Test
  void dataKeyFromAnotherKmsKeyDoesNotUnwrap() {
    final String otherKey = kms.createKey(r -> r.keySpec(KeySpec.SYMMETRIC_DEFAULT)).keyMetadata().keyId();
    final WrappedKey wrapped = KmsKeyWrapper.builder().kmsClient(kms).keyId(otherKey).build().wrap(SECRET, CONTEXT);
    final WrappedKey relabelled = WrappedKey.kms(wrapper.wrap(SECRET, CONTEXT).masterKeyId(),
        wrapped.encryptedDataKey().orElseThrow(), wrapped.nonce(), wrapped.ciphertext());

    assertThatThrownBy(() -> wrapper.unwrap(relabelled, CONTEXT)).isInstanceOf(KeyUnwrapException.class);
  }

  @Test
  void refusesDevWrappedKeys() {
    final WrappedKey dev = WrappedKey.dev("dev-00", new byte[12], new byte[32]);

    assertThatThrownBy(() -> wrapper.unwrap(dev, CONTEXT)).isInstanceOf(KeyUnwrapException.class);
  }

  @Test
  void wrapsUnderAnAliasAndStillUnwraps() {
    final String keyId = KmsAdmin.ensureKey(kms, "alias/mandate-wrap-test");
    final KmsKeyWrapper byAlias = KmsKeyWrapper.builder().kmsClient(kms).keyId("alias/mandate-wrap-test").build();

    final WrappedKey wrapped = byAlias.wrap(SECRET, CONTEXT);

    assertThat(wrapped.masterKeyId()).endsWith(keyId);
    assertThat(byAlias.unwrap(wrapped, CONTEXT)).isEqualTo(SECRET);
  }

  @Test
  void ensureKeyCreatesOnceAndThenReusesTheAlias() {
    final String first = KmsAdmin.ensureKey(kms, "mandate-local");
    final String second = KmsAdmin.ensureKey(kms, "alias/mandate-local");

    assertThat(second).isEqualTo(first);
    assertThat(kms.describeKey(r -> r.keyId("alias/mandate-local")).keyMetadata().keyId()).isEqualTo(first);
  }

  @Test
  void builderWithoutAKeyIdFailsWithTheSettingName() {
    assertThatThrownBy(() -> KmsKeyWrapper.builder().kmsClient(kms).build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("MANDATE_KMS_KEY_ID");
  }
}
