package dev.mandate.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A {@code moto_server} child process on a free loopback port: one endpoint for every AWS service
 * moto emulates (here mainly KMS GenerateDataKey/Decrypt with encryption context).
 *
 * <p>The process is killed (with its children) on {@link #close()} and, as a safety net, when the
 * JVM exits. Its output goes to a temporary log file that is quoted when start-up fails.
 */
public final class MotoServer implements AutoCloseable {
  static final String EXECUTABLE = "moto_server";
  static final String INSTALL_HINT = "moto_server was not found on PATH. Install moto 5.x with its server extra,"
      + " e.g. `pip install 'moto[server]>=5,<6'` (or `pipx install 'moto[server]'`), and make sure"
      + " `moto_server` is on PATH.";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final int ATTEMPTS = 3;

  private final Process process;
  private final Path log;
  private final URI endpoint;
  private final Thread shutdownHook;
  private final AtomicBoolean closed = new AtomicBoolean();

  private MotoServer(final Process process, final Path log, final int port) {
    this.process = process;
    this.log = log;
    this.endpoint = URI.create("http://127.0.0.1:" + port);
    this.shutdownHook = new Thread(this::stopProcess, "moto-server-stop");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /**
   * Starts {@code moto_server} and waits (at most 30 s) until it answers HTTP.
   *
   * @throws MotoServerNotFoundException if {@code moto_server} is not on PATH
   * @throws BackendStartException if it does not come up
   */
  public static MotoServer start() {
    final Path executable = findOnPath(EXECUTABLE, System.getenv("PATH"))
        .orElseThrow(() -> new MotoServerNotFoundException(INSTALL_HINT));
    BackendStartException last = null;
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        return startOn(executable, FreePorts.pick());
      } catch (BackendStartException e) {
        last = e;
      }
    }
    throw last;
  }

  /** The first executable file named {@code name} in the {@code PATH}-style list {@code path}. */
  static Optional<Path> findOnPath(final String name, final String path) {
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

  private static MotoServer startOn(final Path executable, final int port) {
    final Path log = Processes.tempLog("moto-server-");
    final Process process;
    try {
      process = new ProcessBuilder(executable.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
          .redirectErrorStream(true)
          .redirectOutput(log.toFile())
          .start();
    } catch (IOException e) {
      throw new BackendStartException("could not run " + executable + ": " + e.getMessage(), e);
    }
    final MotoServer server = new MotoServer(process, log, port);
    try {
      server.awaitReady();
      return server;
    } catch (BackendStartException e) {
      server.close();
      throw e;
    }
  }


  private void awaitReady() {
    final long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new BackendStartException("moto_server exited with " + process.exitValue() + " before answering on "
            + endpoint + ". Its output:\n" + Processes.tail(log));
      }
      // A moto endpoint that answers proves the process is up; a mere open port could be anyone's.
      if (answers() && process.isAlive()) {
        return;
      }
      sleep(100);
    }
    throw new BackendStartException("moto_server did not answer on " + endpoint + " within "
        + START_TIMEOUT.toSeconds() + " s. Its output:\n" + Processes.tail(log));
  }

  private boolean answers() {
    try {
      final HttpURLConnection connection = open("/moto-api/data.json", "GET");
      try {
        return connection.getResponseCode() == 200;
      } finally {
        connection.disconnect();
      }
    } catch (IOException e) {
      return false;
    }
  }

  private HttpURLConnection open(final String path, final String method) throws IOException {
    final HttpURLConnection connection = (HttpURLConnection) endpoint.resolve(path).toURL().openConnection();
    connection.setRequestMethod(method);
    connection.setConnectTimeout(1_000);
    connection.setReadTimeout(5_000);
    return connection;
  }

  /** {@code http://127.0.0.1:<port>}; pass it to {@code endpointOverride} or {@code AWS_ENDPOINT_URL}. */
  public URI endpoint() {
    return endpoint;
  }

  /** Drops every resource moto holds (keys, tables, ...), as if freshly started. */
  public void reset() {
    try {
      final HttpURLConnection connection = open("/moto-api/reset", "POST");
      try {
        connection.setDoOutput(true);
        connection.getOutputStream().close();
        if (connection.getResponseCode() != 200) {
          throw new IllegalStateException("moto reset answered HTTP " + connection.getResponseCode());
        }
      } finally {
        connection.disconnect();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("moto reset failed", e);
    }
  }

  /** Kills the process and its children and deletes the log. Idempotent. */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      stopProcess();
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // Already shutting down: the hook runs (or ran) stopProcess, which is harmless twice.
      }
      Processes.deleteQuietly(log);
    }
  }

  private void stopProcess() {
    Processes.killTree(process);
  }


  private static void sleep(final long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendStartException("interrupted while waiting for moto_server");
    }
  }
}
