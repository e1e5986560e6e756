package dev.mandate.testkit;

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
}
