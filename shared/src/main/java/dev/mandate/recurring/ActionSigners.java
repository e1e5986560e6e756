package dev.mandate.recurring;

import dev.mandate.config.Settings;
import dev.mandate.enclave.keys.KeyWrapper;
import dev.mandate.enclave.keys.KeyWrappers;
import java.util.Locale;
import software.amazon.awssdk.services.kms.KmsClient;

/** Picks the {@link ActionSigner} that matches how the deployment wraps wallet keys. */
public final class ActionSigners {
  private ActionSigners() {}

  /**
   * {@code MANDATE_KEY_WRAPPER=kms} (or unset, as for wallet keys: a deployment that forgets the
   * setting fails closed) gives a {@link KmsActionSigner} with a default KMS client; {@code dev}
   * gives a {@link DevActionSigner} over {@code devWrapper}.
   *
   * @throws IllegalArgumentException for any other value
   */
  public static ActionSigner fromEnvironment(final KeyWrapper devWrapper) {
    final String kind = Settings.get(KeyWrappers.WRAPPER_SETTING).orElse("kms").toLowerCase(Locale.ROOT);
    return switch (kind) {
      case "kms" -> new KmsActionSigner(dev.mandate.config.AwsClients.configure(KmsClient.builder()).build());
      case "dev" -> new DevActionSigner(devWrapper);
      default -> throw new IllegalArgumentException(KeyWrappers.WRAPPER_SETTING + " must be kms or dev, not " + kind);
    };
  }
}
