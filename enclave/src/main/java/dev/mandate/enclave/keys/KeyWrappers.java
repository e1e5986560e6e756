package dev.mandate.enclave.keys;

import dev.mandate.config.Settings;
import java.util.Locale;

/** Picks the {@link KeyWrapper} the deployment asks for. */
public final class KeyWrappers {
  /** Environment variable / system property: {@code kms} (the default) or {@code dev}. */
  public static final String WRAPPER_SETTING = "MANDATE_KEY_WRAPPER";

  private KeyWrappers() {}

  /**
   * {@code MANDATE_KEY_WRAPPER=kms} (or unset) gives a {@link KmsKeyWrapper} configured from the
   * environment; {@code dev} gives a {@link DevKeyWrapper}. Defaulting to KMS means a deployment
   * that forgets the setting fails closed (no key id) instead of silently using a file key.
   *
   * @throws IllegalArgumentException for any other value
   */
  public static KeyWrapper fromEnvironment() {
    final String kind = Settings.get(WRAPPER_SETTING).orElse("kms").toLowerCase(Locale.ROOT);
    return switch (kind) {
      case "kms" -> KmsKeyWrapper.builder().build();
      case "dev" -> DevKeyWrapper.builder().build();
      default -> throw new IllegalArgumentException(WRAPPER_SETTING + " must be kms or dev, not " + kind);
    };
  }
}
