package dev.mandate.enclave.keys;

import java.util.Optional;

/** Configuration lookups: a JVM system property wins over the environment variable of the same name. */
final class Settings {
  private Settings() {}

  static Optional<String> get(final String name) {
    final String property = System.getProperty(name);
    if (property != null && !property.isBlank()) {
      return Optional.of(property.trim());
    }
    final String env = System.getenv(name);
    return env == null || env.isBlank() ? Optional.empty() : Optional.of(env.trim());
  }
}
