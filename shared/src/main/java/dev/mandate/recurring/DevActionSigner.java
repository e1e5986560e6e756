package dev.mandate.recurring;

import dev.mandate.enclave.Rng;
import dev.mandate.enclave.keys.KeyContext;
import dev.mandate.enclave.keys.KeyWrapper;
import dev.mandate.enclave.keys.WrappedKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;

/**
 * <b>NOT FOR PRODUCTION.</b> Action keys for {@code ./mandate serve} and tests without KMS: a P-256
 * key pair generated in this process, whose private key is kept only wrapped by the given
 * {@link KeyWrapper} (the dev wrapper's local master key file) and signed with by the JDK. Anyone who
 * can read the master key file and the table can sign as every action. Production uses
 * {@link KmsActionSigner}, where the private key never leaves KMS.
 *
 * <p>Reference form, version 1: {@code da1:<appId>:<actionId>:<wrapped key>} with app and action id
 * base64url-encoded. The ids travel with the key because {@link #sign} gets only the key, and the
 * wrapped key is bound to them ({@code KeyContext("action-key", appId, actionId)}).
 */
public final class DevActionSigner implements ActionSigner {
  /** The {@link KeyContext} purpose of a wrapped action key. */
  public static final String ACTION_KEY_PURPOSE = "action-key";
  private static final String VERSION = "da1";
  private static final String CURVE = "secp256r1";
  private static final String ALGORITHM = "SHA256withECDSA";
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();

  private final KeyWrapper wrapper;

  public DevActionSigner(final KeyWrapper wrapper) {
    this.wrapper = wrapper;
  }

  @Override
  public ActionKey create(final String appId, final String actionId) {
    final KeyContext context = context(appId, actionId);
    final KeyPair pair = generate();
    final byte[] pkcs8 = pair.getPrivate().getEncoded();
    try {
      final WrappedKey wrapped = wrapper.wrap(pkcs8, context);
      final String reference = String.join(":", VERSION, encode(appId), encode(actionId), wrapped.toStorageString());
      return new ActionKey(ActionKey.DEV, reference, Base64.getEncoder().encodeToString(pair.getPublic().getEncoded()));
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  @Override
  public String sign(final ActionKey key, final byte[] payload) {
    final byte[] pkcs8 = unwrap(key);
    try {
      final PrivateKey privateKey = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
      final Signature signature = Signature.getInstance(ALGORITHM);
      signature.initSign(privateKey, Rng.get());
      signature.update(payload);
      return Base64.getEncoder().encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("signing with a dev action key failed", e);
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  /** Nothing to do: the wrapped key is deleted with the action's record. */
  @Override
  public void retire(final ActionKey key) {
    if (!ActionKey.DEV.equals(key.kind())) {
      throw new IllegalArgumentException("action key was made by the " + key.kind() + " signer, not dev");
    }
  }

  private byte[] unwrap(final ActionKey key) {
    if (!ActionKey.DEV.equals(key.kind())) {
      throw new IllegalArgumentException("action key was made by the " + key.kind() + " signer, not dev");
    }
    final String[] parts = key.reference().split(":", 4);
    if (parts.length != 4 || !parts[0].equals(VERSION)) {
      throw new IllegalArgumentException("dev action key reference is malformed");
    }
    final KeyContext context;
    try {
      context = context(decode(parts[1]), decode(parts[2]));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("dev action key reference is malformed", e);
    }
    return wrapper.unwrap(WrappedKey.parse(parts[3]), context);
  }

  private static KeyContext context(final String appId, final String actionId) {
    return new KeyContext(ACTION_KEY_PURPOSE, appId, actionId);
  }

  private static KeyPair generate() {
    try {
      final KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec(CURVE), Rng.get());
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("P-256 key generation is unavailable in this JVM", e);
    }
  }

  private static String encode(final String text) {
    return B64URL.encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String decode(final String text) {
    return new String(Base64.getUrlDecoder().decode(text), StandardCharsets.UTF_8);
  }
}
