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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A local Ethereum node ({@code hardhat node}, chain id 31337) on a free loopback port, for tests
 * that send real transactions.
 *
 * <p>Hardhat comes from the npm project in {@code tools/hardhat} of the repository, installed with
 * {@code npm ci} the first time it is needed. The node automines: each transaction gets its own
 * block as soon as it arrives ({@link #setAutomine(boolean)} turns that off to keep transactions
 * pending). Its twenty dev accounts hold 10,000 ETH each; their keys are public, see
 * {@link #accountPrivateKeys()}.
 *
 * <p>The process tree is killed on {@link #close()} and, as a safety net, when the JVM exits.
 */
public final class HardhatNode implements AutoCloseable {
  /** System property naming the repository root (the folder that holds {@code tools/hardhat}). */
  public static final String REPO_ROOT_PROPERTY = "mandate.repoRoot";
  public static final long CHAIN_ID = 31337;
  static final Path PROJECT = Path.of("tools", "hardhat");
  static final String INSTALL_HINT = "Node.js 18+ with npm is needed to run the local Ethereum node"
      + " (tools/hardhat): install it (e.g. `apt-get install nodejs npm`) and make sure `node` and `npm`"
      + " are on PATH.";
  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(5);
  private static final Object INSTALL_LOCK = new Object();

  /** The default {@code test test ... junk} mnemonic's accounts, in hardhat's order. */
  private static final List<String> PRIVATE_KEYS = List.of(
      "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
      "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
      "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
      "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
      "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a",
      "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba",
      "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e",
      "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356",
      "0xdbda1821b80551c9d65939329250298aa3472ba22feea921c0cf5d620ea67b97",
      "0x2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6",
      "0xf214f2b2cd398c806f84e317254e0f0b801d0643303237d97a22a48e01628897",
      "0x701b615bbdfb9de65240bc28bd21bbc0d996645a3dd57e7b12bc2bdf6f192c82",
      "0xa267530f49f8280200edf313ee7af6b827f2a8bce2897751d06a843f644967b1",
      "0x47c99abed3324a2707c28affff1267e45918ec8c3f20b8aa892e8b065d2942dd",
      "0xc526ee95bf44d8fc405a158bb884d9d1238d99f0612e9f33d006bb0789009aaa",
      "0x8166f546bab6da521a8369cab06c5d2b9e46670292d85c875ee9ec20e84ffb61",
      "0xea6c44ac03bff858b476bba40716402b03e41b8e97e276d1baec7c37d42484a0",
      "0x689af8efa8c651a91ad287602527f3af2fe9f6501a7ac4b061667b5a93e037fd",
      "0xde9be858da4a475276426320d5e9262ecfc3ba460bfac56360bfa6c4c28b4ee0",
      "0xdf57089febbacf7ba0bc227dafbffa9fc08a93fdc68e1e42411a14efcf23656e");
  private static final List<String> ADDRESSES = List.of(
      "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
      "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC", "0x90F79bf6EB2c4f870365E785982E1f101E93b906",
      "0x15d34AAf54267DB7D7c367839AAf71A00a2C6A65", "0x9965507D1a55bcC2695C58ba16FB37d819B0A4dc",
      "0x976EA74026E726554dB657fA54763abd0C3a0aa9", "0x14dC79964da2C08b23698B3D3cc7Ca32193d9955",
      "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f", "0xa0Ee7A142d267C1f36714E4a8F75612F20a79720",
      "0xBcd4042DE499D14e55001CcbB24a551F3b954096", "0x71bE63f3384f5fb98995898A86B02Fb2426c5788",
      "0xFABB0ac9d68B0B445fB7357272Ff202C5651694a", "0x1CBd3b2770909D4e10f157cABC84C7264073C9Ec",
      "0xdF3e18d64BC6A983f673Ab319CCaE4f1a57C7097", "0xcd3B766CCDd6AE721141F452C550Ca635964ce71",
      "0x2546BcD3c84621e976D8185a91A922aE77ECEc30", "0xbDA5747bFD65F08deb54cb465eB87D40e51B197E",
      "0xdD2FD4581271e230360230F9337D5c0430Bf44C0", "0x8626f6940E2eb28930eFb4CeF49B2d1F2C9C1199");

  private final ChildProcess process;
  private final URI rpcUrl;
  private final HttpClient http;

  private HardhatNode(final ChildProcess process, final int port) {
    this.process = process;
    this.rpcUrl = URI.create("http://127.0.0.1:" + port + "/");
    // HTTP/1.1: for http:// the JDK would otherwise ask to upgrade to h2c, which the node's
    // WebSocket server takes for a failed WebSocket handshake and never answers.
    this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(1)).build();
  }

  /**
   * Installs hardhat if needed, starts {@code hardhat node} and waits (at most 60 s) until it
   * answers {@code eth_chainId}.
   *
   * @throws BackendStartException if node/npm are missing, the install fails or the node does not
   *     come up; the message says which, with the tail of the tool's output
   */
  public static HardhatNode start() {
    final Path project = repoRoot().resolve(PROJECT);
    final Path node = Executables.onPath("node")
        .orElseThrow(() -> new BackendStartException("`node` was not found on PATH. " + INSTALL_HINT));
    ensureInstalled(project);
    return FreePorts.startOnOne(port -> startOn(node, project, port));
  }

  /** {@code -Dmandate.repoRoot}, else the nearest folder at or above the working dir holding tools/hardhat. */
  static Path repoRoot() {
    final Optional<String> configured = Optional.ofNullable(System.getProperty(REPO_ROOT_PROPERTY))
        .filter(s -> !s.isBlank());
    if (configured.isPresent()) {
      return Path.of(configured.get()).toAbsolutePath();
    }
    return findRepoRoot(Path.of(System.getProperty("user.dir")).toAbsolutePath())
        .orElseThrow(() -> new BackendStartException("no " + PROJECT + "/package.json found at or above "
            + System.getProperty("user.dir") + "; set -D" + REPO_ROOT_PROPERTY + "=<repository root>"));
  }

  static Optional<Path> findRepoRoot(final Path start) {
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve(PROJECT).resolve("package.json"))) {
        return Optional.of(dir);
      }
    }
    return Optional.empty();
  }

  /**
   * Runs {@code npm ci} unless a complete install is there ({@code npm} writes
   * {@code node_modules/.package-lock.json} last). Serialised across threads and JVMs.
   */
  static void ensureInstalled(final Path project) {
    synchronized (INSTALL_LOCK) {
      try (FileChannel channel = FileChannel.open(project.resolve(".npm-ci.lock"),
              StandardOpenOption.CREATE, StandardOpenOption.WRITE);
          FileLock lock = channel.lock()) {
        if (!isInstalled(project)) {
          npmCi(project);
        }
      } catch (IOException e) {
        throw new BackendStartException("could not lock " + project + " for npm ci: " + e.getMessage(), e);
      }
    }
  }

  static boolean isInstalled(final Path project) {
    return Files.isRegularFile(project.resolve("node_modules/.package-lock.json"))
        && Files.isRegularFile(cli(project));
  }

  private static Path cli(final Path project) {
    return project.resolve("node_modules/hardhat/internal/cli/bootstrap.js");
  }

  private static void npmCi(final Path project) {
    final Path npm = Executables.onPath("npm")
        .orElseThrow(() -> new BackendStartException("`npm` was not found on PATH. " + INSTALL_HINT));
    final Path out = Processes.tempLog("npm-ci-");
    try {
      final Process install = new ProcessBuilder(npm.toString(), "ci", "--no-audit", "--no-fund")
          .directory(project.toFile())
          .redirectErrorStream(true)
          .redirectOutput(out.toFile())
          .start();
      if (!install.waitFor(INSTALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
        Processes.killTree(install);
        throw new BackendStartException("npm ci in " + project + " did not finish within "
            + INSTALL_TIMEOUT.toMinutes() + " min. Its output:\n" + Processes.tail(out));
      }
      if (install.exitValue() != 0 || !isInstalled(project)) {
        throw new BackendStartException("npm ci in " + project + " failed (exit " + install.exitValue()
            + "). Its output:\n" + Processes.tail(out));
      }
    } catch (IOException e) {
      throw new BackendStartException("could not run " + npm + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new BackendStartException("interrupted during npm ci", e);
    } finally {
      Processes.deleteQuietly(out);
    }
  }

  private static HardhatNode startOn(final Path node, final Path project, final int port) {
    final ProcessBuilder builder = new ProcessBuilder(node.toString(), cli(project).toString(), "node",
        "--hostname", "127.0.0.1", "--port", Integer.toString(port))
        .directory(project.toFile());
    builder.environment().put("HARDHAT_DISABLE_TELEMETRY_PROMPT", "true");
    final HardhatNode server = new HardhatNode(ChildProcess.start("hardhat node", builder), port);
    server.process.awaitReady(server::answersChainId, START_TIMEOUT, server.rpcUrl.toString());
    return server;
  }

  private boolean answersChainId() {
    final String expected = "\"result\":\"0x" + Long.toHexString(CHAIN_ID) + "\"";
    return tryRpc("eth_chainId", "[]").filter(body -> body.replace(" ", "").contains(expected)).isPresent();
  }

  /** {@code http://127.0.0.1:<port>/}, the node's JSON-RPC endpoint. */
  public URI rpcUrl() {
    return rpcUrl;
  }

  /** 31337. */
  public long chainId() {
    return CHAIN_ID;
  }

  /** The 20 funded dev accounts' private keys ({@code 0x} + 64 hex digits); publicly known, test use only. */
  public List<String> accountPrivateKeys() {
    return PRIVATE_KEYS;
  }

  /** The dev accounts' addresses (EIP-55 checksummed), in the order of {@link #accountPrivateKeys()}. */
  public List<String> accountAddresses() {
    return ADDRESSES;
  }

  /**
   * On (the default): every transaction is mined into its own block on arrival. Off: transactions
   * stay pending until {@link #mine()} (or automining is turned back on).
   */
  public void setAutomine(final boolean on) {
    rpc("evm_setAutomine", "[" + on + "]");
  }

  /** Mines one block with whatever is pending. */
  public void mine() {
    rpc("evm_mine", "[]");
  }

  /**
   * Sends one JSON-RPC request ({@code params} is a JSON array) and returns the whole response body.
   *
   * @throws IllegalStateException if the node answers with an error or cannot be reached
   */
  public String rpc(final String method, final String params) {
    final String body = tryRpc(method, params)
        .orElseThrow(() -> new IllegalStateException("hardhat node at " + rpcUrl + " did not answer " + method));
    if (body.contains("\"error\"")) {
      throw new IllegalStateException("hardhat node refused " + method + ": " + body);
    }
    return body;
  }

  private Optional<String> tryRpc(final String method, final String params) {
    return LoopbackRpc.tryCall(http, rpcUrl, method, params);
  }

  /** Kills the node and its children and deletes the log. Idempotent. */
  @Override
  public void close() {
    process.close();
  }
}
