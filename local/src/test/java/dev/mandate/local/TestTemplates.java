package dev.mandate.local;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

final class TestTemplates {
  private TestTemplates() {}

  static Path resource(final String name) {
    try {
      return Path.of(TestTemplates.class.getResource("/" + name).toURI());
    } catch (URISyntaxException | NullPointerException e) {
      throw new IllegalStateException("test resource missing: " + name, e);
    }
  }

  /** The repository's template.yaml (tests run with the module directory as working directory). */
  static Path repositoryTemplate() {
    for (final Path candidate : new Path[] {Path.of("../template.yaml"), Path.of("template.yaml")}) {
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("template.yaml not found from " + Path.of("").toAbsolutePath());
  }
}
