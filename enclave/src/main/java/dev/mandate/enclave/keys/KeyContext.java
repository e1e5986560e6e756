package dev.mandate.enclave.keys;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a wrapped key belongs to. It is bound into the ciphertext twice: as the KMS encryption
 * context and as the AES-GCM additional authenticated data. A wrapped key copied onto another
 * wallet's (or app's) record therefore fails to unwrap there.
 *
 * <p>None of these values is secret: KMS logs the encryption context in CloudTrail.
 *
 * @param purpose what the key is for, e.g. {@link #WALLET_KEY} or {@link #RECORD_SEAL}
 * @param appId the owning app
 * @param resourceId the wallet id for wallet keys; the app id or {@link #GLOBAL} for record seals
 */
public record KeyContext(String purpose, String appId, String resourceId) {
  /** A wallet's private key; resourceId is the wallet id. */
  public static final String WALLET_KEY = "wallet-key";
  /** A recurring action's P-256 signing key (PKCS#8); resourceId is the action id. */
  public static final String ACTION_KEY = "action-key";
  /** The MAC key that makes records tamper-evident; resourceId is the app id or {@link #GLOBAL}. */
  public static final String RECORD_SEAL = "record-seal";
  /** resourceId of a record-seal key shared by all apps. */
  public static final String GLOBAL = "global";

  // Bumping the tag changes every AAD; old keys would no longer unwrap. Never change it in place.
  private static final byte[] AAD_TAG = "mandate/key-context/v1".getBytes(StandardCharsets.US_ASCII);

  public KeyContext {
    requireText(purpose, "purpose");
    requireText(appId, "appId");
    requireText(resourceId, "resourceId");
  }

  /** The context of wallet {@code walletId}'s private key. */
  public static KeyContext walletKey(final String appId, final String walletId) {
    return new KeyContext(WALLET_KEY, appId, walletId);
  }

  /** The context of recurring action {@code actionId}'s P-256 key. */
  public static KeyContext actionKey(final String appId, final String actionId) {
    return new KeyContext(ACTION_KEY, appId, actionId);
  }

  /** The context of a record-seal MAC key scoped to {@code resourceId} (an app id or {@link #GLOBAL}). */
  public static KeyContext recordSeal(final String appId, final String resourceId) {
    return new KeyContext(RECORD_SEAL, appId, resourceId);
  }

  /** The KMS encryption context: {@code {"purpose", "app_id", "resource_id"}}. */
  public Map<String, String> encryptionContext() {
    final Map<String, String> context = new LinkedHashMap<>();
    context.put("purpose", purpose);
    context.put("app_id", appId);
    context.put("resource_id", resourceId);
    return Map.copyOf(context);
  }

  /**
   * The AES-GCM AAD: a version tag, then each field as a 4-byte big-endian length and its UTF-8
   * bytes. Length prefixes keep ("ab","c") and ("a","bc") apart, which a separator could not.
   */
  public byte[] aad() {
    final ByteArrayOutputStream out = new ByteArrayOutputStream(64);
    out.writeBytes(AAD_TAG);
    for (final String field : new String[] {purpose, appId, resourceId}) {
      final byte[] bytes = field.getBytes(StandardCharsets.UTF_8);
      out.write(bytes.length >>> 24);
      out.write(bytes.length >>> 16);
      out.write(bytes.length >>> 8);
      out.write(bytes.length);
      out.writeBytes(bytes);
    }
    return out.toByteArray();
  }

  private static void requireText(final String value, final String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}
