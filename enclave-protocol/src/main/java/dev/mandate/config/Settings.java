package dev.mandate.config;

import java.util.Optional;

/**
 * Reads configuration: a JVM system property first (the local runner and tests set these), then the
 * environment variable of the same name (Lambda). Blank values count as absent.
 */
public final class Settings {
  private Settings() {}

  public static Optional<String> get(final String name) {
    final String property = System.getProperty(name);
    if (property != null && !property.isBlank()) {
      return Optional.of(property.trim());
    }
    final String env = System.getenv(name);
    if (env != null && !env.isBlank()) {
      return Optional.of(env.trim());
    }
    return Optional.empty();
  }

  public static String getOrDefault(final String name, final String fallback) {
    return get(name).orElse(fallback);
  }

  public static int getInt(final String name, final int fallback) {
    return get(name).map(Integer::parseInt).orElse(fallback);
  }
}
