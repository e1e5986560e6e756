package dev.mandate.local;

import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code java -jar local/target/mandate-local.jar serve}: serves every HttpApi route of
 * {@code template.yaml} on 127.0.0.1 by calling the same handler classes Lambda runs.
 *
 * <p>Settings (system property or environment variable): {@code PORT} (8080),
 * {@code MANDATE_TEMPLATE} ({@code ./template.yaml}), {@code AWS_ENDPOINT_URL} (use moto or
 * LocalStack instead of the in-process DynamoDB Local), {@code MANDATE_DEV_APP_ID} and
 * {@code MANDATE_DEV_APP_SECRET} (generated and printed when unset), {@code MANDATE_SCHEDULER_TICK_MS}
 * (how often the template's scheduled functions run; default 1000, 0 = never), and every
 * {@code MANDATE_*} setting the handlers read.
 */
public final class Main {
  static final int DEFAULT_PORT = 8080;

  private Main() {}

  public static void main(final String[] args) {
    final int code = run(args, System.out, System.err);
    if (code != 0) {
      System.exit(code);
    }
  }

  /** Exit code; 0 from {@code serve} means the server is running (on non-daemon threads). */
  static int run(final String[] args, final PrintStream out, final PrintStream err) {
    final String command = args.length == 0 ? "help" : args[0];
    switch (command) {
      case "serve":
        return serve(out, err);
      case "help":
      case "--help":
      case "-h":
        usage(out);
        return 0;
      default:
        err.println("mandate-local: unknown command '" + command + "'");
        usage(err);
        return 2;
    }
  }

  private static int serve(final PrintStream out, final PrintStream err) {
    final LocalRunner runner;
    try {
      final int port = Config.port("PORT", DEFAULT_PORT);
      final Path template = Path.of(Config.getOrDefault("MANDATE_TEMPLATE", "template.yaml"));
      runner = LocalRunner.start(template, port, new LocalBackend(), out, err);
    } catch (StartupException e) {
      err.println("mandate-local: " + e.getMessage());
      return 1;
    } catch (RuntimeException e) {
      err.println("mandate-local: start-up failed: " + e);
      e.printStackTrace(err);
      return 1;
    }
    Runtime.getRuntime().addShutdownHook(new Thread(runner::close, "mandate-local-stop"));
    out.println("listening on " + runner.baseUrl());
    out.flush();
    return 0;
  }

  static void usage(final PrintStream out) {
    out.println("usage: mandate-local serve");
    out.println();
    out.println("Serves the HttpApi routes of template.yaml on http://127.0.0.1:$PORT (default 8080).");
    out.println("  PORT                 port to listen on (0 = any free port)");
    out.println("  MANDATE_TEMPLATE     template path (default ./template.yaml)");
    out.println("  AWS_ENDPOINT_URL     DynamoDB + KMS endpoint (moto, LocalStack); default: DynamoDB Local in process");
    out.println("  MANDATE_DEV_APP_ID / MANDATE_DEV_APP_SECRET   dev app credentials (generated when unset)");
    out.println("  MANDATE_SCHEDULER_TICK_MS  how often scheduled functions run (default 1000; 0 = never)");
    out.println("  MANDATE_RUN_WORKERS  threads running due recurring actions in process (default 8)");
  }
}
