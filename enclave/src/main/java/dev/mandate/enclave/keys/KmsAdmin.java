package dev.mandate.enclave.keys;

import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.AlreadyExistsException;
import software.amazon.awssdk.services.kms.model.KeySpec;
import software.amazon.awssdk.services.kms.model.KeyUsageType;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/**
 * Provisioning for local stacks (moto, LocalStack): in AWS the key comes from {@code template.yaml}
 * with its key policy, never from application code.
 */
public final class KmsAdmin {
  private static final String ALIAS_PREFIX = "alias/";

  private KmsAdmin() {}

  /**
   * The id of the symmetric key behind {@code aliasName} ({@code alias/} prefix optional), creating
   * the key and alias if the alias does not exist yet. Safe to call concurrently and repeatedly.
   */
  public static String ensureKey(final KmsClient kms, final String aliasName) {
    final String alias = aliasName.startsWith(ALIAS_PREFIX) ? aliasName : ALIAS_PREFIX + aliasName;
    try {
      return kms.describeKey(r -> r.keyId(alias)).keyMetadata().keyId();
    } catch (NotFoundException e) {
      return create(kms, alias);
    }
  }

  private static String create(final KmsClient kms, final String alias) {
    final String keyId = kms.createKey(r -> r
        .keySpec(KeySpec.SYMMETRIC_DEFAULT)
        .keyUsage(KeyUsageType.ENCRYPT_DECRYPT)
        .description("Mandate wallet key wrapping (local)"))
        .keyMetadata().keyId();
    try {
      kms.createAlias(r -> r.aliasName(alias).targetKeyId(keyId));
      return keyId;
    } catch (AlreadyExistsException e) {
      // Lost a race with another caller: use their key and retire ours.
      kms.scheduleKeyDeletion(r -> r.keyId(keyId).pendingWindowInDays(7));
      return kms.describeKey(r -> r.keyId(alias)).keyMetadata().keyId();
    }
  }
}
