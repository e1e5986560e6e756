package dev.mandate.enclave.keys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mandate.testkit.AwsCallCounter;
import dev.mandate.testkit.AwsTestClients;
import dev.mandate.testkit.MotoServer;
import dev.mandate.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
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
    kms = AwsTestClients.configure(
        KmsClient.builder().overrideConfiguration(o -> o.addExecutionInterceptor(new AwsCallCounter())), moto.endpoint());
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

  @Test
  void aHotKeyUnwrapsWithoutAKmsCall() {
    final KmsKeyWrapper cold = KmsKeyWrapper.builder().kmsClient(kms).keyId(wrapper.keyId())
        .keyCache(10, Duration.ofMinutes(5), java.time.Clock.systemUTC()).build();
    final WrappedKey wrapped = wrapper.wrap(SECRET, CONTEXT);
    final AwsCallCounter.Tally before = AwsCallCounter.snapshot();

    for (int i = 0; i < 100; i++) {
      assertThat(cold.unwrap(wrapped, CONTEXT)).isEqualTo(SECRET);
    }

    assertThat(AwsCallCounter.snapshot().minus(before).call("Kms:Decrypt")).isEqualTo(1);
  }

  @Test
  void aWalletsFirstUnwrapAfterItsWrapNeedsNoKmsCall() {
    final WrappedKey wrapped = wrapper.wrap(SECRET, CONTEXT);
    final AwsCallCounter.Tally before = AwsCallCounter.snapshot();

    assertThat(wrapper.unwrap(wrapped, CONTEXT)).isEqualTo(SECRET);

    assertThat(AwsCallCounter.snapshot().minus(before).call("Kms:Decrypt")).isZero();
  }

  @Test
  void aCachedKeyIsNeverUsedForAnotherContext() {
    final WrappedKey wrapped = wrapper.wrap(SECRET, CONTEXT);
    assertThat(wrapper.unwrap(wrapped, CONTEXT)).isEqualTo(SECRET);
    final KeyContext otherWallet = KeyContext.walletKey(CONTEXT.appId(), "wallet-2");

    // The same stored key copied onto another wallet's record: KMS (and AES-GCM) refuse it, hot or not.
    assertThatThrownBy(() -> wrapper.unwrap(WrappedKey.parse(wrapped.toStorageString()), otherWallet))
        .isInstanceOf(KeyUnwrapException.class);
  }

  @Test
  void aCachedDataKeyExpiresAfterItsTtl() {
    final MutableClock clock = new MutableClock(Instant.now());
    final KmsKeyWrapper cached = KmsKeyWrapper.builder().kmsClient(kms).keyId(wrapper.keyId())
        .keyCache(10, Duration.ofSeconds(30), clock).build();
    final WrappedKey wrapped = cached.wrap(SECRET, CONTEXT);
    final AwsCallCounter.Tally before = AwsCallCounter.snapshot();

    cached.unwrap(wrapped, CONTEXT);
    clock.advance(Duration.ofSeconds(30));
    cached.unwrap(wrapped, CONTEXT);
    cached.unwrap(wrapped, CONTEXT);

    assertThat(AwsCallCounter.snapshot().minus(before).call("Kms:Decrypt")).isEqualTo(1);
  }

  @Test
  void withoutTheCacheEveryUnwrapAsksKms() {
    final KmsKeyWrapper uncached = KmsKeyWrapper.builder().kmsClient(kms).keyId(wrapper.keyId()).noKeyCache().build();
    final WrappedKey wrapped = uncached.wrap(SECRET, CONTEXT);
    final AwsCallCounter.Tally before = AwsCallCounter.snapshot();

    uncached.unwrap(wrapped, CONTEXT);
    uncached.unwrap(wrapped, CONTEXT);

    assertThat(AwsCallCounter.snapshot().minus(before).call("Kms:Decrypt")).isEqualTo(2);
  }
}
