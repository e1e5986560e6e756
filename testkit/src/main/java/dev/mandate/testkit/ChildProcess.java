package dev.mandate.testkit;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * A backend this kit runs as a child process (moto_server, hardhat node), its output in a temporary
 * log that start-up failures quote. The process tree is killed on {@link #close()} and, as a safety
 * net, when the JVM exits; the log is then deleted.
 */
final class ChildProcess implements AutoCloseable {
  private static final long POLL_MILLIS = 100;

  private final String name;
  private final Process process;
  private final Path log;
  private final Thread shutdownHook;
  private final AtomicBoolean closed = new AtomicBoolean();

  private ChildProcess(final String name, final Process process, final Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
    this.shutdownHook = new Thread(() -> Processes.killTree(process), name.replace(' ', '-') + "-stop");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts {@code builder} with its merged output going to a new temporary log. */
  static ChildProcess start(final String name, final ProcessBuilder builder) {
    final Path log = Processes.tempLog(name.replace(' ', '-') + "-");
    try {
      return new ChildProcess(name, builder.redirectErrorStream(true).redirectOutput(log.toFile()).start(), log);
    } catch (IOException e) {
      Processes.deleteQuietly(log);
      throw new BackendStartException("could not run " + builder.command().get(0) + ": " + e.getMessage(), e);
    }
  }

  /**
   * Waits until {@code answers} holds while the process is alive (an answer proves the process is
   * up; a mere open port could be anyone's); on failure closes this and says why, quoting the log.
   */
  void awaitReady(final BooleanSupplier answers, final Duration timeout, final String where) {
    final long deadline = System.nanoTime() + timeout.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        if (!process.isAlive()) {
          throw new BackendStartException(name + " exited with " + process.exitValue() + " before answering on "
              + where + ". Its output:\n" + Processes.tail(log));
        }
        if (answers.getAsBoolean() && process.isAlive()) {
          return;
        }
        Thread.sleep(POLL_MILLIS);
      }
      throw new BackendStartException(name + " did not answer on " + where + " within " + timeout.toSeconds()
          + " s. Its output:\n" + Processes.tail(log));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      close();
      throw new BackendStartException("interrupted while waiting for " + name);
    } catch (BackendStartException e) {
      close();
      throw e;
    }
  }

  /**
   * Sends {@code signal} (e.g. {@code STOP}, {@code CONT}) to the process and its descendants with
   * {@code kill}: how a test makes a backend hang (SIGSTOP) and come back (SIGCONT).
   */
  void signal(final String signal) {
    final java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("kill", "-" + signal));
    command.add(String.valueOf(process.pid()));
    process.descendants().forEach(child -> command.add(String.valueOf(child.pid())));
    try {
      final int code = new ProcessBuilder(command).inheritIO().start().waitFor();
      if (code != 0) {
        throw new IllegalStateException("kill -" + signal + " " + name + " exited with " + code);
      }
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while signalling " + name, e);
    }
  }

  /** Kills the process and its children and deletes the log. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      Processes.killTree(process);
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // Already shutting down: the hook runs (or ran) killTree, which is harmless twice.
      }
      Processes.deleteQuietly(log);
    }
  }
}
