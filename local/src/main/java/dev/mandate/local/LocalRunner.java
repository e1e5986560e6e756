package dev.mandate.local;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Start-up in the order that keeps configuration honest: read the template (fail fast on a bad
 * one), bind the port (so MANDATE_PUBLIC_URL can name it), prepare the backend (which sets every
 * configuration property), and only then create the handlers, one per function, and serve.
 */
public final class LocalRunner implements AutoCloseable {
  public static final String HOST = "127.0.0.1";

  private final LocalServer server;
  private final AutoCloseable backend;

  private LocalRunner(final LocalServer server, final AutoCloseable backend) {
    this.server = server;
    this.backend = backend;
  }

  /**
   * Starts the runner as {@code ./mandate serve} does (backend from configuration), for tests and
   * tools that embed it. {@code port} 0 picks a free port.
   */
  public static LocalRunner start(final Path template, final int port) {
    return start(template, port, new LocalBackend(), System.out, System.err);
  }

  static LocalRunner start(final Path template, final int port, final Backend backendFactory, final PrintStream out,
      final PrintStream log) {
    if (!Files.isRegularFile(template)) {
      throw new StartupException("template not found: " + template.toAbsolutePath()
          + " (run from the repository root, or set MANDATE_TEMPLATE)");
    }
    final TemplateRoutes routes = TemplateRoutes.load(template);
    final RouteTable table = new RouteTable(routes.routes());
    final LocalServer server = LocalServer.bind(HOST, port, log);
    AutoCloseable backend = null;
    try {
      backend = backendFactory.prepare(server.port(), out);
      final Map<String, FunctionInstances.Instance> functions =
          FunctionInstances.create(routes.functions(), Thread.currentThread().getContextClassLoader());
      server.start(table, functions);
      return new LocalRunner(server, backend);
    } catch (RuntimeException e) {
      server.close();
      closeQuietly(backend, log);
      throw e;
    }
  }

  public int port() {
    return server.port();
  }

  public String baseUrl() {
    return server.baseUrl();
  }

  @Override
  public void close() {
    server.close();
    closeQuietly(backend, System.err);
  }

  private static void closeQuietly(final AutoCloseable closeable, final PrintStream log) {
    if (closeable == null) {
      return;
    }
    try {
      closeable.close();
    } catch (Exception e) {
      log.println("mandate-local: while stopping: " + e);
    }
  }
}
