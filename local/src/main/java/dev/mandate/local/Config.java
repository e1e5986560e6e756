package dev.mandate.local;

import java.util.Optional;

/**
 * Reads a setting the way the domain does: JVM system property first, then the environment
 * variable of the same name; blank counts as absent. The runner then writes its decisions back as
 * system properties, so the handlers it starts see exactly what it chose.
 */
final class Config {
  private Config() {}

  static Optional<String> get(final String name) {
    return dev.mandate.config.Settings.get(name);
  }

  static String getOrDefault(final String name, final String fallback) {
    return get(name).orElse(fallback);
  }

  /** The setting, or {@code fallback} written back as a system property, which is then returned. */
  static String getOrSet(final String name, final String fallback) {
    final Optional<String> value = get(name);
    if (value.isPresent()) {
      return value.get();
    }
    System.setProperty(name, fallback);
    return fallback;
  }

  static int port(final String name, final int fallback) {
    final Optional<String> value = get(name);
    if (value.isEmpty()) {
      return fallback;
    }
    try {
      final int port = Integer.parseInt(value.get());
      if (port < 0 || port > 65_535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new StartupException(name + " must be a port number (0-65535), not '" + value.get() + "'");
    }
  }
}
