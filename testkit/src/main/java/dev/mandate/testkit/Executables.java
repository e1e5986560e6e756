package dev.mandate.testkit;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finding the tools the backends need (moto_server, node, npm) the way a shell would. */
public final class Executables {
  private Executables() {}

  /** The first executable file named {@code name} on this process's {@code PATH}. */
  public static Optional<Path> onPath(final String name) {
    return onPath(name, System.getenv("PATH"));
  }

  /** The first executable file named {@code name} in the {@code PATH}-style list {@code path}. */
  static Optional<Path> onPath(final String name, final String path) {
    if (path == null || path.isBlank()) {
      return Optional.empty();
    }
    for (final String dir : path.split(File.pathSeparator)) {
      if (dir.isEmpty()) {
        continue;
      }
      final Path candidate = Path.of(dir, name);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
