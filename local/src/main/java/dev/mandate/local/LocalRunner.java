package dev.mandate.local;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * Start-up in the order that keeps configuration honest: read the template (fail fast on a bad
 * one), bind the port (so MANDATE_PUBLIC_URL can name it), prepare the backend (which sets every
 * configuration property), and only then create the handlers, one per function, serve, and start
 * ticking the template's schedules ({@link Scheduler}).
 */
public final class LocalRunner implements AutoCloseable {
  public static final String HOST = "127.0.0.1";

  private final LocalServer server;
  private final Scheduler scheduler;
  private final AutoCloseable backend;

  private LocalRunner(final LocalServer server, final Scheduler scheduler, final AutoCloseable backend) {
    this.server = server;
    this.scheduler = scheduler;
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
    return start(template, port, backendFactory, out, log, Scheduler.tickMillis());
  }

  /** {@code tickMillis}: between schedule ticks, 0 for none (then only {@link #tickNow} runs them). */
  static LocalRunner start(final Path template, final int port, final Backend backendFactory, final PrintStream out,
      final PrintStream log, final long tickMillis) {
    if (!Files.isRegularFile(template)) {
      throw new StartupException("template not found: " + template.toAbsolutePath()
          + " (run from the repository root, or set MANDATE_TEMPLATE)");
    }
    final TemplateRoutes routes = TemplateRoutes.load(template);
    final RouteTable table = new RouteTable(routes.routes());
    final LocalServer server = LocalServer.bind(HOST, port, log);
    AutoCloseable backend = null;
    Scheduler scheduler = null;
    try {
      backend = backendFactory.prepare(server.port(), out);
      final ClassLoader loader = Thread.currentThread().getContextClassLoader();
      final Map<String, FunctionInstances.Instance> functions = FunctionInstances.create(routes.functions(), loader);
      scheduler = Scheduler.create(routes.schedules(), loader, log, Clock.systemUTC());
      server.start(table, functions);
      scheduler.start(tickMillis);
      if (!routes.schedules().isEmpty()) {
        out.println("schedules: " + String.join(", ", scheduler.describe())
            + (tickMillis == 0 ? ", not ticking (" + Scheduler.TICK_SETTING + "=0)" : ", ticking every " + tickMillis + " ms"));
      }
      return new LocalRunner(server, scheduler, backend);
    } catch (RuntimeException e) {
      closeQuietly(scheduler, log);
      server.close();
      closeQuietly(backend, log);
      throw e;
    }
  }

  /**
   * Runs every schedule of the template once, now, on the calling thread, with the current time
   * (whole seconds, as EventBridge sends it) as the scheduled time. Waits for a tick in progress;
   * calling it again delivers the same schedule twice, as EventBridge may.
   */
  public void tickNow() {
    scheduler.tick(scheduler.now());
  }

  /** {@link #tickNow()} with {@code scheduledTime} as the scheduled time. */
  public void tickNow(final Instant scheduledTime) {
    scheduler.tick(scheduledTime);
  }

  public int port() {
    return server.port();
  }

  public String baseUrl() {
    return server.baseUrl();
  }

  @Override
  public void close() {
    // Schedules first: a tick in progress finishes while the backend it uses is still up.
    closeQuietly(scheduler, System.err);
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
