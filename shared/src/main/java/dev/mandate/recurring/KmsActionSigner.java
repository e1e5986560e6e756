package dev.mandate.recurring;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.KmsInvalidStateException;
import software.amazon.awssdk.services.kms.model.MessageType;
import software.amazon.awssdk.services.kms.model.NotFoundException;
import software.amazon.awssdk.services.kms.model.SigningAlgorithmSpec;
import software.amazon.awssdk.services.kms.model.Tag;

/**
 * One asymmetric KMS key ({@code ECC_NIST_P256}, {@code SIGN_VERIFY}) per action: the private key is
 * generated in KMS and never leaves it. Keys are tagged {@code mandate-purpose=recurring-action}, the
 * tag the template's IAM statements require for every call on them.
 */
public final class KmsActionSigner implements ActionSigner {
  public static final String PURPOSE_TAG = "mandate-purpose";
  public static final String PURPOSE = "recurring-action";
  public static final String APP_TAG = "mandate-app";
  public static final String ACTION_TAG = "mandate-action";
  /** KMS signs at most this many bytes with MessageType RAW; longer payloads are hashed here. */
  static final int MAX_RAW_MESSAGE_BYTES = 4096;
  /** KMS's shortest waiting period: a key deleted by mistake can still be recovered for a week. */
  static final int DELETION_WINDOW_DAYS = 7;

  private final KmsClient kms;

  public KmsActionSigner(final KmsClient kms) {
    this.kms = kms;
  }

  @Override
  public ActionKey create(final String appId, final String actionId) {
    final String arn = kms.createKey(r -> r
        .keySpec(KeySpec.ECC_NIST_P256)
        .keyUsage(KeyUsageType.SIGN_VERIFY)
        .description("Mandate recurring action " + actionId + " of app " + appId)
        .tags(tag(PURPOSE_TAG, PURPOSE), tag(APP_TAG, appId), tag(ACTION_TAG, actionId)))
        .keyMetadata().arn();
    try {
      final byte[] spki = kms.getPublicKey(r -> r.keyId(arn)).publicKey().asByteArray();
      return new ActionKey(ActionKey.KMS, arn, Base64.getEncoder().encodeToString(spki));
    } catch (RuntimeException e) {
      // No action will ever refer to this key: do not leave it billing (and signing-capable) behind.
      retireQuietly(arn, e);
      throw e;
    }
  }

  @Override
  public String sign(final ActionKey key, final byte[] payload) {
    requireKms(key);
    if (payload.length == 0) {
      // KMS rejects an empty message; an authorization payload never is one.
      throw new IllegalArgumentException("payload to sign must not be empty");
    }
    // RAW lets KMS hash the payload itself; above KMS's RAW limit we hash and send the digest, which
    // yields the same ECDSA_SHA_256 signature.
    final boolean raw = payload.length <= MAX_RAW_MESSAGE_BYTES;
    final byte[] message = raw ? payload : sha256(payload);
    final byte[] der = kms.sign(r -> r
        .keyId(key.reference())
        .message(SdkBytes.fromByteArray(message))
        .messageType(raw ? MessageType.RAW : MessageType.DIGEST)
        .signingAlgorithm(SigningAlgorithmSpec.ECDSA_SHA_256))
        .signature().asByteArray();
    return Base64.getEncoder().encodeToString(der);
  }

  @Override
  public void retire(final ActionKey key) {
    requireKms(key);
    try {
      kms.scheduleKeyDeletion(r -> r.keyId(keyId(key.reference())).pendingWindowInDays(DELETION_WINDOW_DAYS));
    } catch (KmsInvalidStateException | NotFoundException alreadyGone) {
      // Pending deletion already (a repeated retire) or deleted: the key is unusable either way.
    }
  }

  private void retireQuietly(final String arn, final RuntimeException cause) {
    try {
      kms.scheduleKeyDeletion(r -> r.keyId(keyId(arn)).pendingWindowInDays(DELETION_WINDOW_DAYS));
    } catch (RuntimeException e) {
      cause.addSuppressed(e);
    }
  }

  /**
   * The key id in a key ARN. KMS takes either, but moto's ScheduleKeyDeletion only takes the id, and
   * the id is enough: action keys live in the caller's own account and region.
   */
  static String keyId(final String reference) {
    final int slash = reference.lastIndexOf(":key/");
    return slash < 0 ? reference : reference.substring(slash + ":key/".length());
  }

  private static void requireKms(final ActionKey key) {
    if (!ActionKey.KMS.equals(key.kind())) {
      throw new IllegalArgumentException("action key was made by the " + key.kind() + " signer, not kms");
    }
  }

  private static Tag tag(final String key, final String value) {
    return Tag.builder().tagKey(key).tagValue(value).build();
  }

  private static byte[] sha256(final byte[] payload) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(payload);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
