package dev.mandate.enclave.keys;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;

/**
 * A wrapped (encrypted) key: everything needed to unwrap it except the master key and the
 * {@link KeyContext}. Holds no plaintext. Immutable; accessors return copies.
 *
 * <p>Storage form, version 1 (fields base64url without padding, separated by {@code ':'}):
 *
 * <pre>wk1:&lt;kind&gt;:&lt;masterKeyId&gt;:&lt;encryptedDataKey or empty&gt;:&lt;nonce&gt;:&lt;ciphertext+tag&gt;</pre>
 *
 * <p>{@code masterKeyId} is the KMS key ARN that made the data key, or, for the dev wrapper, a
 * fingerprint of the local master key, so a key wrapped elsewhere fails with a clear message.
 */
public final class WrappedKey {
  /** Length of the AES-GCM nonce. */
  public static final int NONCE_BYTES = 12;
  static final int TAG_BYTES = 16;
  private static final String VERSION = "wk1";
  private static final int MAX_STORAGE_CHARS = 8_192;
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder B64_DECODER = Base64.getUrlDecoder();

  /** Which {@link KeyWrapper} made a wrapped key, and so which one can unwrap it. */
  public enum Kind {
    KMS("kms"),
    DEV("dev");

    private final String code;

    Kind(final String code) {
      this.code = code;
    }

    /** The name used in the storage form. */
    public String code() {
      return code;
    }

    static Kind fromCode(final String code) {
      for (final Kind kind : values()) {
        if (kind.code.equals(code)) {
          return kind;
        }
      }
      throw new KeyUnwrapException("wrapped key has an unknown wrapper kind");
    }
  }

  private final Kind kind;
  private final String masterKeyId;
  private final byte[] encryptedDataKey;
  private final byte[] nonce;
  private final byte[] ciphertext;

  private WrappedKey(final Kind kind, final String masterKeyId, final byte[] encryptedDataKey,
      final byte[] nonce, final byte[] ciphertext) {
    this.kind = kind;
    this.masterKeyId = masterKeyId;
    this.encryptedDataKey = encryptedDataKey.clone();
    this.nonce = nonce.clone();
    this.ciphertext = ciphertext.clone();
  }

  /** A key wrapped under a KMS data key; {@code encryptedDataKey} is KMS's CiphertextBlob. */
  public static WrappedKey kms(final String keyArn, final byte[] encryptedDataKey, final byte[] nonce,
      final byte[] ciphertext) {
    if (encryptedDataKey.length == 0) {
      throw new IllegalArgumentException("a KMS-wrapped key needs its encrypted data key");
    }
    return validated(new WrappedKey(Kind.KMS, keyArn, encryptedDataKey, nonce, ciphertext));
  }

  /** A key wrapped directly under the local dev master key identified by {@code masterKeyId}. */
  public static WrappedKey dev(final String masterKeyId, final byte[] nonce, final byte[] ciphertext) {
    return validated(new WrappedKey(Kind.DEV, masterKeyId, new byte[0], nonce, ciphertext));
  }

  /**
   * Reads the storage form.
   *
   * @throws KeyUnwrapException if {@code storage} is not a well-formed wrapped key: to a caller, a
   *     corrupted record is the same failure as a key that will not unwrap
   */
  public static WrappedKey parse(final String storage) {
    if (storage == null || storage.length() > MAX_STORAGE_CHARS) {
      throw new KeyUnwrapException("wrapped key is missing or too long");
    }
    final String[] parts = storage.split(":", -1);
    if (parts.length != 6 || !VERSION.equals(parts[0])) {
      throw new KeyUnwrapException("wrapped key is not in the " + VERSION + " format");
    }
    try {
      final Kind kind = Kind.fromCode(parts[1]);
      final String masterKeyId = new String(B64_DECODER.decode(parts[2]), StandardCharsets.UTF_8);
      final byte[] encryptedDataKey = B64_DECODER.decode(parts[3]);
      if (kind == Kind.KMS && encryptedDataKey.length == 0 || kind == Kind.DEV && encryptedDataKey.length != 0) {
        throw new KeyUnwrapException("wrapped key's data key field does not match its kind");
      }
      return validated(new WrappedKey(kind, masterKeyId, encryptedDataKey, B64_DECODER.decode(parts[4]),
          B64_DECODER.decode(parts[5])));
    } catch (IllegalArgumentException e) {
      throw new KeyUnwrapException("wrapped key is malformed");
    }
  }

  private static WrappedKey validated(final WrappedKey key) {
    if (key.masterKeyId == null || key.masterKeyId.isBlank()) {
      throw new IllegalArgumentException("master key id must not be blank");
    }
    if (key.nonce.length != NONCE_BYTES) {
      throw new IllegalArgumentException("nonce must be " + NONCE_BYTES + " bytes");
    }
    if (key.ciphertext.length < TAG_BYTES) {
      throw new IllegalArgumentException("ciphertext is shorter than its authentication tag");
    }
    return key;
  }

  /** The versioned string to store; {@link #parse} reads it back. */
  public String toStorageString() {
    return String.join(":", VERSION, kind.code(),
        B64.encodeToString(masterKeyId.getBytes(StandardCharsets.UTF_8)),
        B64.encodeToString(encryptedDataKey), B64.encodeToString(nonce), B64.encodeToString(ciphertext));
  }

  public Kind kind() {
    return kind;
  }

  /** KMS key ARN (kms) or master-key fingerprint (dev). */
  public String masterKeyId() {
    return masterKeyId;
  }

  /** KMS's CiphertextBlob for the data key; empty for the dev wrapper, which has no data key. */
  public Optional<byte[]> encryptedDataKey() {
    return encryptedDataKey.length == 0 ? Optional.empty() : Optional.of(encryptedDataKey.clone());
  }

  public byte[] nonce() {
    return nonce.clone();
  }

  /** AES-256-GCM ciphertext followed by its 16-byte tag. */
  public byte[] ciphertext() {
    return ciphertext.clone();
  }

  @Override
  public boolean equals(final Object o) {
    return o instanceof WrappedKey other
        && kind == other.kind
        && masterKeyId.equals(other.masterKeyId)
        && Arrays.equals(encryptedDataKey, other.encryptedDataKey)
        && Arrays.equals(nonce, other.nonce)
        && Arrays.equals(ciphertext, other.ciphertext);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, masterKeyId, Arrays.hashCode(encryptedDataKey), Arrays.hashCode(nonce),
        Arrays.hashCode(ciphertext));
  }

  @Override
  public String toString() {
    return "WrappedKey[kind=" + kind.code() + ", masterKeyId=" + masterKeyId + ", ciphertext="
        + ciphertext.length + " bytes]";
  }
}
