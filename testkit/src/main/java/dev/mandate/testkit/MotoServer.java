package dev.mandate.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

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

  private final ChildProcess process;
  private final URI endpoint;

  private MotoServer(final ChildProcess process, final int port) {
    this.process = process;
    this.endpoint = URI.create("http://127.0.0.1:" + port);
  }

  /**
   * Starts {@code moto_server} and waits (at most 30 s) until it answers HTTP.
   *
   * @throws MotoServerNotFoundException if {@code moto_server} is not on PATH
   * @throws BackendStartException if it does not come up
   */
  public static MotoServer start() {
    final Path executable = Executables.onPath(EXECUTABLE)
        .orElseThrow(() -> new MotoServerNotFoundException(INSTALL_HINT));
    return FreePorts.startOnOne(port -> startOn(executable, port));
  }

  private static MotoServer startOn(final Path executable, final int port) {
    final MotoServer server = new MotoServer(ChildProcess.start("moto_server",
        new ProcessBuilder(executable.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))), port);
    server.process.awaitReady(server::answers, START_TIMEOUT, server.endpoint.toString());
    return server;
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

  /** Freezes moto (SIGSTOP): connections are still accepted by the kernel, nothing answers. */
  public void pause() {
    process.signal("STOP");
  }

  /** Lets a {@link #pause() paused} moto run again (SIGCONT). */
  public void resume() {
    process.signal("CONT");
  }

  /** Kills the process and its children and deletes the log. Idempotent. */
  @Override
  public void close() {
    process.close();
  }
}
