package dev.mandate.recurring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mandate.enclave.authorization.P256PublicKey;
import dev.mandate.testkit.AwsTestClients;
import dev.mandate.testkit.MotoServer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.CreateKeyRequest;
import software.amazon.awssdk.services.kms.model.CreateKeyResponse;
import software.amazon.awssdk.services.kms.model.GetPublicKeyRequest;
import software.amazon.awssdk.services.kms.model.GetPublicKeyResponse;
import software.amazon.awssdk.services.kms.model.KeyMetadata;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyState;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.ScheduleKeyDeletionRequest;
import software.amazon.awssdk.services.kms.model.ScheduleKeyDeletionResponse;
import software.amazon.awssdk.services.kms.model.SignRequest;
import software.amazon.awssdk.services.kms.model.SignResponse;
import software.amazon.awssdk.services.kms.model.Tag;

/** Against moto's KMS (CreateKey, GetPublicKey, Sign RAW, ScheduleKeyDeletion); stand-ins where moto differs from KMS. */
class KmsActionSignerTest {
  private static final byte[] PAYLOAD = "{\"body\":{\"method\":\"eth_sendTransaction\"},\"version\":1}"
      .getBytes(StandardCharsets.UTF_8);
  private static MotoServer moto;
  private static KmsClient kms;
  private static KmsActionSigner signer;

  @BeforeAll
  static void startMoto() {
    moto = MotoServer.start();
    kms = AwsTestClients.configure(KmsClient.builder(), moto.endpoint());
    signer = new KmsActionSigner(kms);
  }

  @AfterAll
  static void stopMoto() {
    if (kms != null) {
      kms.close();
    }
    if (moto != null) {
      moto.close();
    }
  }

  @Test
  void createsATaggedP256SigningKeyInKms() {
    final ActionKey key = signer.create("app-1", "action-1");

    assertThat(key.kind()).isEqualTo("kms");
    assertThat(key.reference()).startsWith("arn:aws:kms:");
    final KeyMetadata metadata = kms.describeKey(r -> r.keyId(key.reference())).keyMetadata();
    assertThat(metadata.keySpec()).isEqualTo(KeySpec.ECC_NIST_P256);
    assertThat(metadata.keyUsage()).isEqualTo(KeyUsageType.SIGN_VERIFY);
    assertThat(metadata.description()).contains("app-1").contains("action-1");
    final Map<String, String> tags = kms.listResourceTags(r -> r.keyId(key.reference())).tags().stream()
        .collect(Collectors.toMap(Tag::tagKey, Tag::tagValue));
    assertThat(tags).containsExactlyInAnyOrderEntriesOf(Map.of(
        "mandate-purpose", "recurring-action", "mandate-app", "app-1", "mandate-action", "action-1"));
    assertThat(P256PublicKey.parse(key.publicKeySpkiBase64()).toBase64()).isEqualTo(key.publicKeySpkiBase64());
  }

  @Test
  void signaturesVerifyWithTheJdkAndTheEnclave() {
    final ActionKey key = signer.create("app-1", "action-2");
    Signatures.assertVerifies(key, PAYLOAD, signer.sign(key, PAYLOAD));
  }

  @Test
  void refusesAnEmptyPayloadAsKmsWould() {
    final ActionKey key = new ActionKey("kms", "arn:aws:kms:us-east-1:000000000000:key/unused", "MFkw");
    assertThatThrownBy(() -> signer.sign(key, new byte[0])).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("empty");
  }

  @Test
  void retireSchedulesDeletionInAWeekAndCanBeRepeated() {
    final ActionKey key = signer.create("app-1", "action-3");
    signer.retire(key);
    signer.retire(key);

    final KeyMetadata metadata = kms.describeKey(r -> r.keyId(key.reference())).keyMetadata();
    assertThat(metadata.keyState()).isEqualTo(KeyState.PENDING_DELETION);
    assertThat(metadata.deletionDate()).isBetween(Instant.now().plus(Duration.ofDays(6)), Instant.now().plus(Duration.ofDays(8)));
  }

  @Test
  void refusesDevKeys() {
    final ActionKey dev = new ActionKey("dev", "da1:x", "MFkw");
    assertThatThrownBy(() -> signer.sign(dev, PAYLOAD)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not kms");
    assertThatThrownBy(() -> signer.retire(dev)).isInstanceOf(IllegalArgumentException.class);
  }

  /** moto ignores MessageType=DIGEST, so a stand-in that signs like KMS checks the long-payload path. */
  @Test
  void payloadsAboveKmsRawLimitAreSignedAsTheirDigest() throws Exception {
    final FakeKms fake = new FakeKms();
    final KmsActionSigner withFake = new KmsActionSigner(fake);
    final ActionKey key = withFake.create("app-1", "action-4");
    final byte[] longPayload = new byte[KmsActionSigner.MAX_RAW_MESSAGE_BYTES + 1];
    Arrays.fill(longPayload, (byte) 'a');

    Signatures.assertVerifies(key, longPayload, withFake.sign(key, longPayload));
    assertThat(fake.signed.get(0).messageType()).isEqualTo(MessageType.DIGEST);
    assertThat(fake.signed.get(0).message().asByteArray()).isEqualTo(MessageDigest.getInstance("SHA-256").digest(longPayload));

    Signatures.assertVerifies(key, PAYLOAD, withFake.sign(key, PAYLOAD));
    assertThat(fake.signed.get(1).messageType()).isEqualTo(MessageType.RAW);
  }

  @Test
  void aKeyWhosePublicKeyCannotBeReadIsScheduledForDeletion() {
    final FakeKms fake = new FakeKms();
    fake.failGetPublicKey = true;
    assertThatThrownBy(() -> new KmsActionSigner(fake).create("app-1", "action-5")).isInstanceOf(KmsException.class);
    assertThat(fake.deleted).containsExactly("fake");
  }

  /** Signs as KMS does: RAW is hashed with SHA-256, DIGEST is taken as the hash. */
  private static final class FakeKms implements KmsClient {
    static final String ARN = "arn:aws:kms:us-east-1:000000000000:key/fake";
    final KeyPair pair = generate();
    final List<SignRequest> signed = new ArrayList<>();
    final List<String> deleted = new ArrayList<>();
    boolean failGetPublicKey;

    @Override
    public CreateKeyResponse createKey(final CreateKeyRequest request) {
      return CreateKeyResponse.builder().keyMetadata(m -> m.arn(ARN).keyId("fake")).build();
    }

    @Override
    public GetPublicKeyResponse getPublicKey(final GetPublicKeyRequest request) {
      if (failGetPublicKey) {
        throw KmsException.builder().message("throttled").build();
      }
      return GetPublicKeyResponse.builder().publicKey(SdkBytes.fromByteArray(pair.getPublic().getEncoded())).build();
    }

    @Override
    public SignResponse sign(final SignRequest request) {
      signed.add(request);
      try {
        final byte[] message = request.message().asByteArray();
        final byte[] digest = request.messageType() == MessageType.DIGEST ? message
            : MessageDigest.getInstance("SHA-256").digest(message);
        final Signature ecdsa = Signature.getInstance("NONEwithECDSA");
        ecdsa.initSign(pair.getPrivate());
        ecdsa.update(digest);
        return SignResponse.builder().signature(SdkBytes.fromByteArray(ecdsa.sign())).build();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }

    @Override
    public ScheduleKeyDeletionResponse scheduleKeyDeletion(final ScheduleKeyDeletionRequest request) {
      deleted.add(request.keyId());
      return ScheduleKeyDeletionResponse.builder().build();
    }

    @Override
    public String serviceName() {
      return "kms";
    }

    @Override
    public void close() {}

    private static KeyPair generate() {
      try {
        final KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        return generator.generateKeyPair();
      } catch (GeneralSecurityException e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
