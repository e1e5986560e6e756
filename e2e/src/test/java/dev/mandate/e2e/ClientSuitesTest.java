package dev.mandate.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import dev.mandate.testkit.Executables;
import org.junit.jupiter.api.Test;

/**
 * Runs the Node client suites in {@code clients/} (Privy's own {@code @privy-io/node} and
 * {@code @privy-io/server-auth} SDKs, signatures checked with ethers and viem) against the local
 * stack, and fails unless node reports passing tests and no failures.
 */
class ClientSuitesTest {
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
  // One client test that hangs fails on its own after TEST_TIMEOUT and the other suites still run;
  // RUN_TIMEOUT is the backstop for node itself.
  private static final Duration TEST_TIMEOUT = Duration.ofMinutes(2);
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(10);
  private static final int MIN_NODE_MAJOR = 20;
  private static final boolean WINDOWS = System.getProperty("os.name", "").toLowerCase(Locale.ROOT).contains("win");
  private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*[A-Za-z]");

  @Test
  void privySdkAndSignatureSuitesPassAgainstTheLocalStack() throws Exception {
    final Stack stack = Stack.get();
    final Path clients = stack.repoRoot().resolve("clients");
    assertThat(clients.resolve("package.json")).as("the client suites live in %s", clients).isRegularFile();
    assertThat(clients.resolve("package-lock.json")).isRegularFile();

    final String node = requireTool("node");
    final String npm = requireTool(WINDOWS ? "npm.cmd" : "npm");
    final Result version = run(List.of(node, "--version"), clients, Map.of(), Duration.ofSeconds(30), false);
    final Matcher major = Pattern.compile("v(\\d+)\\.").matcher(version.output());
    if (!major.find() || Integer.parseInt(major.group(1)) < MIN_NODE_MAJOR) {
      fail("The client suites need Node.js >= %d (node --test, the spec reporter); found %s",
          MIN_NODE_MAJOR, version.output().strip());
    }

    if (!Files.isDirectory(clients.resolve("node_modules"))) {
      final Result install = run(List.of(npm, "install", "--no-audit", "--no-fund", "--no-save"), clients, Map.of(), INSTALL_TIMEOUT, true);
      assertThat(install.exitCode())
          .as("npm install in %s failed (is the npm registry reachable?):%n%s", clients, install.output())
          .isZero();
    }

    final Result suites = run(
        List.of(node, "--test", "--test-concurrency=1", "--test-timeout=" + TEST_TIMEOUT.toMillis(),
            // -Dmandate.clientSuites=test/solana.test.mjs runs one suite.
            "--test-reporter=spec", System.getProperty("mandate.clientSuites", "test/")),
        clients,
        Map.of(
            "MANDATE_URL", stack.baseUrl(),
            "MANDATE_APP_ID", Stack.APP_ID,
            "MANDATE_APP_SECRET", Stack.APP_SECRET,
            "MANDATE_CHAIN_RPC_URL", stack.chain().rpcUrl().toString(),
            "MANDATE_SOLANA_RPC_URL", stack.solana().rpcUrl().toString(),
            "NO_COLOR", "1"),
        RUN_TIMEOUT,
        true);

    final String output = ANSI.matcher(suites.output()).replaceAll("");
    final OptionalInt pass = summary(output, "pass");
    final OptionalInt failed = summary(output, "fail");
    final OptionalInt cancelled = summary(output, "cancelled");
    assertThat(suites.exitCode()).as("node --test exit code; output:%n%s", output).isZero();
    assertThat(pass).as("node's summary reports the passing tests (ℹ pass N)").isPresent();
    assertThat(pass.getAsInt()).as("passing client tests").isPositive();
    assertThat(failed).as("node's summary reports the failures (ℹ fail N)").hasValue(0);
    assertThat(cancelled).as("cancelled client tests (hooks that failed, timeouts)").hasValue(0);
  }

  /** The last summary line {@code ℹ <name> N} (spec reporter) or {@code # <name> N} (TAP). */
  static OptionalInt summary(final String output, final String name) {
    final Matcher m = Pattern.compile("^\\s*(?:ℹ|#)\\s+" + name + "\\s+(\\d+)\\s*$", Pattern.MULTILINE).matcher(output);
    OptionalInt last = OptionalInt.empty();
    while (m.find()) {
      last = OptionalInt.of(Integer.parseInt(m.group(1)));
    }
    return last;
  }

  private static String requireTool(final String name) {
    return Executables.onPath(name).map(Path::toString).orElseGet(() -> fail(
        "'%s' was not found on PATH. The client suites in clients/ need Node.js >= %d and npm "
        + "(https://nodejs.org); install them, or run the other e2e tests with -Dtest='!ClientSuitesTest'.",
        name, MIN_NODE_MAJOR));
  }

  private record Result(int exitCode, String output) {
  }

  /** Runs a command, streaming its merged output to the test log (when {@code echo}) and collecting it. */
  private static Result run(final List<String> command, final Path dir, final Map<String, String> env,
      final Duration timeout, final boolean echo) throws IOException, InterruptedException {
    if (echo) {
      System.out.println("[clients] $ " + String.join(" ", command) + "   (in " + dir + ")");
    }
    final ProcessBuilder builder = new ProcessBuilder(new ArrayList<>(command))
        .directory(dir.toFile())
        .redirectErrorStream(true);
    builder.environment().putAll(env);
    final Process process = builder.start();
    process.getOutputStream().close();
    final StringBuilder output = new StringBuilder();
    final Thread pump = new Thread(() -> {
      try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = reader.readLine()) != null) {
          synchronized (output) {
            output.append(line).append('\n');
          }
          if (echo) {
            System.out.println("[clients] " + line);
          }
        }
      } catch (IOException e) {
        synchronized (output) {
          output.append("[output stream error: ").append(e).append("]\n");
        }
      }
    }, "client-suites-output");
    pump.setDaemon(true);
    pump.start();
    if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
      pump.join(TimeUnit.SECONDS.toMillis(5));
      synchronized (output) {
        return fail("%s did not finish within %s; output so far:%n%s", String.join(" ", command), timeout, output);
      }
    }
    pump.join(TimeUnit.SECONDS.toMillis(30));
    synchronized (output) {
      return new Result(process.exitValue(), output.toString());
    }
  }
}
