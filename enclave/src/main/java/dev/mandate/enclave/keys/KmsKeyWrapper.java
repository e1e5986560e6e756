package dev.mandate.enclave.keys;

import dev.mandate.config.Settings;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.kms.model.DataKeySpec;
import software.amazon.awssdk.services.kms.model.DecryptResponse;
import software.amazon.awssdk.services.kms.model.GenerateDataKeyResponse;
import software.amazon.awssdk.services.kms.model.IncorrectKeyException;
import software.amazon.awssdk.services.kms.model.InvalidCiphertextException;
import software.amazon.awssdk.services.kms.model.KmsException;
import software.amazon.awssdk.services.kms.model.NotFoundException;

/**
 * Envelope encryption with AWS KMS: every wrap asks KMS for a fresh AES-256 data key bound to the
 * {@link KeyContext} (as encryption context), encrypts locally with AES-256-GCM (the same context as
 * AAD), wipes the plaintext data key and keeps only KMS's encrypted copy.
 *
 * <p>The KMS endpoint comes from the SDK's own configuration ({@code AWS_ENDPOINT_URL},
 * {@code aws.endpointUrl}), so the same code runs against AWS, LocalStack or moto.
 */
public final class KmsKeyWrapper implements KeyWrapper {
  /** Environment variable / system property naming the KMS key (id, ARN, alias name or alias ARN). */
  public static final String KEY_ID_SETTING = "MANDATE_KMS_KEY_ID";
  private static final String ACCESS_DENIED = "AccessDeniedException";

  private final KmsClient kms;
  private final String keyId;
  private final DataKeyCache cache;

  private KmsKeyWrapper(final KmsClient kms, final String keyId, final DataKeyCache cache) {
    this.kms = kms;
    this.keyId = keyId;
    this.cache = cache;
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public WrappedKey wrap(final byte[] plaintext, final KeyContext context) {
    final GenerateDataKeyResponse dataKey = kms.generateDataKey(r -> r
        .keyId(keyId)
        .keySpec(DataKeySpec.AES_256)
        .encryptionContext(context.encryptionContext()));
    // The unsafe view is the SDK's own buffer: wiping it leaves no other copy of ours behind.
    final byte[] key = dataKey.plaintext().asByteArrayUnsafe();
    try {
      final byte[] nonce = Aead.newNonce();
      final byte[] ciphertext = Aead.seal(key, nonce, plaintext, context.aad());
      // The response's key id is the key ARN, even when this wrapper was configured with an alias.
      final byte[] blob = dataKey.ciphertextBlob().asByteArray();
      // A new wallet's first signature then needs no Decrypt either.
      cache.put(DataKeyCache.keyOf(dataKey.keyId(), blob, context), key);
      return WrappedKey.kms(dataKey.keyId(), blob, nonce, ciphertext);
    } finally {
      Aead.wipe(key);
    }
  }

  @Override
  public byte[] unwrap(final WrappedKey wrapped, final KeyContext context) {
    if (wrapped.kind() != WrappedKey.Kind.KMS) {
      throw new KeyUnwrapException("key was wrapped by the " + wrapped.kind().code() + " wrapper, not kms");
    }
    final byte[] blob = wrapped.encryptedDataKey().orElseThrow();
    final String cacheKey = DataKeyCache.keyOf(wrapped.masterKeyId(), blob, context);
    final Optional<byte[]> cached = cache.get(cacheKey);
    final byte[] key = cached.orElseGet(() -> decryptDataKey(wrapped, blob, context));
    try {
      final byte[] plaintext = Aead.open(key, wrapped.nonce(), wrapped.ciphertext(), context.aad());
      if (cached.isEmpty()) {
        // Only a data key that KMS released for this exact context and that opened the key is kept.
        cache.put(cacheKey, key);
      }
      return plaintext;
    } finally {
      Aead.wipe(key);
    }
  }

  /** Wipes every cached data key (e.g. before a SnapStart snapshot, or when rotating). */
  public void clearCache() {
    cache.clear();
  }

  private byte[] decryptDataKey(final WrappedKey wrapped, final byte[] blob, final KeyContext context) {
    final DecryptResponse response;
    try {
      // Naming the key ARN recorded at wrap time makes KMS refuse a blob made under any other key,
      // and keeps old keys readable after the configured alias moves to a new key. The enclave
      // role's IAM policy limits which keys that can be.
      response = kms.decrypt(r -> r
          .keyId(wrapped.masterKeyId())
          .ciphertextBlob(SdkBytes.fromByteArray(blob))
          .encryptionContext(context.encryptionContext()));
    } catch (InvalidCiphertextException | IncorrectKeyException e) {
      throw new KeyUnwrapException("KMS refused the data key (wrong context or key, or altered)", e);
    } catch (NotFoundException e) {
      throw new KeyUnwrapException("the KMS key named by the wrapped key does not exist", e);
    } catch (KmsException e) {
      if (ACCESS_DENIED.equals(e.awsErrorDetails().errorCode())) {
        // Also what KMS (and moto, for a key mismatch) answer for a blob made under a key this role
        // may not use. Kept as the cause so a misconfigured IAM policy is still visible in logs.
        throw new KeyUnwrapException("KMS denied decrypting the data key with the key the wrapped key names", e);
      }
      throw e;
    }
    return response.plaintext().asByteArrayUnsafe();
  }

  /** The configured key (id, ARN or alias) new keys are wrapped under. */
  public String keyId() {
    return keyId;
  }

  /** Builds a {@link KmsKeyWrapper}; unset values default from the environment. */
  public static final class Builder {
    private KmsClient kmsClient;
    private String keyId;
    private DataKeyCache cache;

    private Builder() {}

    /** Defaults to a client configured by {@link dev.mandate.config.AwsClients} (URLConnection, timeouts, safe retries) and the SDK's default region/credentials/endpoint. */
    public Builder kmsClient(final KmsClient kmsClient) {
      this.kmsClient = Objects.requireNonNull(kmsClient, "kmsClient");
      return this;
    }

    /** Defaults to {@code MANDATE_KMS_KEY_ID} (system property, then environment variable). */
    public Builder keyId(final String keyId) {
      this.keyId = Objects.requireNonNull(keyId, "keyId");
      return this;
    }

    /**
     * Caches unwrapped data keys: at most {@code maxEntries}, each for {@code ttl} after KMS released
     * it; 0 for either disables. Defaults to {@code MANDATE_KEY_CACHE_MAX_ENTRIES} (1000) and
     * {@code MANDATE_KEY_CACHE_TTL_SECONDS} (300).
     */
    public Builder keyCache(final int maxEntries, final java.time.Duration ttl, final java.time.Clock clock) {
      this.cache = new DataKeyCache(maxEntries, ttl, clock);
      return this;
    }

    /** No data key cache: one KMS Decrypt per unwrap. */
    public Builder noKeyCache() {
      this.cache = DataKeyCache.disabled();
      return this;
    }

    /** @throws IllegalStateException if no key id is given or configured */
    public KmsKeyWrapper build() {
      final String resolvedKeyId = Optional.ofNullable(keyId).or(() -> Settings.get(KEY_ID_SETTING))
          .orElseThrow(() -> new IllegalStateException(KEY_ID_SETTING + " is not set: name the KMS key that wraps wallet keys"));
      return new KmsKeyWrapper(Optional.ofNullable(kmsClient).orElseGet(Builder::defaultClient), resolvedKeyId,
          Optional.ofNullable(cache).orElseGet(DataKeyCache::fromEnvironment));
    }

    private static KmsClient defaultClient() {
      return dev.mandate.config.AwsClients.configure(KmsClient.builder()).build();
    }
  }
}
