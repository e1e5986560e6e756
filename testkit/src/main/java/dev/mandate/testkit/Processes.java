package dev.mandate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Stopping the backends this kit starts as child processes. */
final class Processes {
  private Processes() {}

  /**
   * Stops {@code process} and everything it started: moto_server may be a pyenv shim that forks
   * python, Hardhat runs under node; killing only the parent would leave the server listening.
   */
  static void killTree(final Process process) {
    final List<ProcessHandle> children = process.descendants().toList();
    process.destroy();
    children.forEach(ProcessHandle::destroy);
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    children.stream().filter(ProcessHandle::isAlive).forEach(ProcessHandle::destroyForcibly);
  }

  /** A temp file for a child process's output. */
  static Path tempLog(final String prefix) {
    try {
      return Files.createTempFile(prefix, ".log");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The last 4,000 characters of a log, for a start-up failure message. */
  static String tail(final Path file) {
    try {
      final String text = Files.readString(file, StandardCharsets.UTF_8);
      return text.length() > 4_000 ? text.substring(text.length() - 4_000) : text;
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  static void deleteQuietly(final Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A leftover temp log is not worth failing a test over.
    }
  }
}
