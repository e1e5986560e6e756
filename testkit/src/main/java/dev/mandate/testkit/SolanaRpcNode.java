package dev.mandate.testkit;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A local Solana JSON-RPC endpoint on a free loopback port: {@code tools/solana-rpc/server.mjs}, a
 * small server over litesvm (an in-process Solana VM). It reports devnet's genesis hash, finalizes
 * every transaction at once and hands out a fresh blockhash after each one.
 *
 * <p>Its npm project is installed with {@code npm install --no-save} (the versions of the lock file)
 * the first time it is needed: not {@code npm ci}, because litesvm lists optional native packages
 * for platforms the registry may not serve, which npm leaves out of the lock file and {@code npm ci}
 * then reports as out of sync. The process tree
 * is killed on {@link #close()} and, as a safety net, when the JVM exits.
 */
public final class SolanaRpcNode implements AutoCloseable {
  /** devnet, whose genesis hash the server reports. */
  public static final String CAIP2 = "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1";
  static final Path PROJECT = Path.of("tools", "solana-rpc");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);

  private final ChildProcess process;
  private final URI rpcUrl;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(1)).build();

  private SolanaRpcNode(final ChildProcess process, final int port) {
    this.process = process;
    this.rpcUrl = URI.create("http://127.0.0.1:" + port + "/");
  }

  /**
   * Installs the server's packages if needed, starts it and waits until it answers {@code getHealth}.
   *
   * @throws BackendStartException if node/npm are missing, the install fails or the server does not come up
   */
  public static SolanaRpcNode start() {
    final Path project = HardhatNode.repoRoot().resolve(PROJECT);
    final Path node = Executables.onPath("node")
        .orElseThrow(() -> new BackendStartException("`node` was not found on PATH. " + HardhatNode.INSTALL_HINT));
    ensureInstalled(project);
    return FreePorts.startOnOne(port -> {
      final ProcessBuilder builder = new ProcessBuilder(node.toString(), "server.mjs", "--port", Integer.toString(port))
          .directory(project.toFile());
      final SolanaRpcNode server = new SolanaRpcNode(ChildProcess.start("solana rpc", builder), port);
      server.process.awaitReady(() -> server.tryRpc("getHealth", "[]").filter(b -> b.contains("\"ok\"")).isPresent(),
          START_TIMEOUT, server.rpcUrl.toString());
      return server;
    });
  }

  private static void ensureInstalled(final Path project) {
    try (FileChannel channel = FileChannel.open(project.resolve(".npm-ci.lock"), StandardOpenOption.CREATE,
            StandardOpenOption.WRITE);
        FileLock lock = channel.lock()) {
      if (Files.isRegularFile(project.resolve("node_modules/.package-lock.json"))
          && Files.isDirectory(project.resolve("node_modules/litesvm"))) {
        return;
      }
      final Path npm = Executables.onPath("npm")
          .orElseThrow(() -> new BackendStartException("`npm` was not found on PATH. " + HardhatNode.INSTALL_HINT));
      final Process install = new ProcessBuilder(npm.toString(), "install", "--no-audit", "--no-fund", "--no-save")
          .directory(project.toFile()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (!install.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || install.exitValue() != 0) {
        Processes.killTree(install);
        throw new BackendStartException("npm install in " + project + " failed or timed out");
      }
    } catch (IOException e) {
      throw new BackendStartException("could not install " + project + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendStartException("interrupted during npm ci", e);
    }
  }

  /** {@code http://127.0.0.1:<port>/}. */
  public URI rpcUrl() {
    return rpcUrl;
  }

  /** Gives {@code address} lamports. */
  public void airdrop(final String address, final long lamports) {
    rpc("requestAirdrop", "[\"" + address + "\"," + lamports + "]");
  }

  /** The balance of {@code address} in lamports. */
  public long balance(final String address) {
    final String body = rpc("getBalance", "[\"" + address + "\"]");
    final String value = body.replaceAll("(?s).*\"value\":(\\d+).*", "$1");
    return Long.parseLong(value);
  }

  /** Sends one JSON-RPC request ({@code params} a JSON array) and returns the response body. */
  public String rpc(final String method, final String params) {
    final String body = tryRpc(method, params)
        .orElseThrow(() -> new IllegalStateException("solana rpc at " + rpcUrl + " did not answer " + method));
    if (body.contains("\"error\"")) {
      throw new IllegalStateException("solana rpc refused " + method + ": " + body);
    }
    return body;
  }

  private Optional<String> tryRpc(final String method, final String params) {
    return LoopbackRpc.tryCall(http, rpcUrl, method, params);
  }

  @Override
  public void close() {
    process.close();
  }
}
