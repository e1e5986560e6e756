package dev.mandate.e2e;

import dev.mandate.enclave.keys.KmsAdmin;
import dev.mandate.local.LocalRunner;
import dev.mandate.testkit.AwsTestClients;
import dev.mandate.testkit.HardhatNode;
import dev.mandate.testkit.SolanaRpcNode;
import dev.mandate.testkit.MotoServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import software.amazon.awssdk.services.kms.KmsClient;

/**
 * The whole local stack, once per test JVM, as a developer gets it from {@code ./mandate serve}: the
 * real handler classes behind the local runner, DynamoDB Local in process, and KMS on moto_server.
 * Everything the process prints is also captured, so tests can scan the logs for secrets.
 */
public final class Stack {
  public static final String APP_ID = "e2eapp000000000000000001";
  public static final String APP_SECRET = "privy_app_secret_e2e_0123456789abcdefghijklmnop";

  private static Stack instance;
  private static SolanaRpcNode solanaNode;

  private final LocalRunner runner;
  private final MotoServer moto;
  private final HardhatNode chain;
  private final LossyRpcProxy rpcProxy;
  private final ByteArrayOutputStream captured;
  private final Path repoRoot;
  private TableAttacker table;

  private Stack(final LocalRunner runner, final MotoServer moto, final HardhatNode chain, final LossyRpcProxy rpcProxy,
      final ByteArrayOutputStream captured, final Path repoRoot) {
    this.runner = runner;
    this.moto = moto;
    this.chain = chain;
    this.rpcProxy = rpcProxy;
    this.captured = captured;
    this.repoRoot = repoRoot;
  }

  public static synchronized Stack get() {
    if (instance == null) {
      instance = start();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        instance.runner.close();
        instance.moto.close();
        instance.rpcProxy.close();
        instance.chain.close();
        if (instance.table != null) {
          instance.table.close();
        }
      }));
    }
    return instance;
  }

  private static Stack start() {
    try {
      final ByteArrayOutputStream captured = new ByteArrayOutputStream();
      System.setOut(new PrintStream(new Tee(System.out, captured), true, StandardCharsets.UTF_8));
      System.setErr(new PrintStream(new Tee(System.err, captured), true, StandardCharsets.UTF_8));
      final Path root = Path.of(System.getProperty("mandate.repoRoot", "..")).toAbsolutePath().normalize();
      final MotoServer moto = MotoServer.start();
      final String keyId;
      try (KmsClient kms = AwsTestClients.configure(KmsClient.builder(), moto.endpoint())) {
        keyId = KmsAdmin.ensureKey(kms, "alias/mandate-e2e");
      }
      // DynamoDB Local (the runner's default) for the table; KMS on moto, by service-specific endpoint.
      System.setProperty("aws.endpointUrlKms", moto.endpoint().toString());
      System.setProperty("MANDATE_KEY_WRAPPER", "kms");
      System.setProperty("MANDATE_KMS_KEY_ID", keyId);
      System.setProperty("MANDATE_DEV_ALLOW_LOOPBACK_JWKS", "true"); // JwtIssuer's JWKS server is http on 127.0.0.1
      System.setProperty("MANDATE_DEV_APP_ID", APP_ID);
      System.setProperty("MANDATE_DEV_APP_SECRET", APP_SECRET);
      System.setProperty("MANDATE_DEV_MASTER_KEY_FILE", Files.createTempDirectory("mandate-e2e").resolve("dev.key").toString());
      // A local Ethereum node for eth_sendTransaction and recurring actions.
      System.setProperty("mandate.repoRoot", root.toString());
      final HardhatNode chain = HardhatNode.start();
      // Through a pass-through proxy that a test can tell to lose a broadcast's answer.
      final LossyRpcProxy proxy = LossyRpcProxy.inFrontOf(chain.rpcUrl());
      System.setProperty("MANDATE_RPC_URL_EIP155_" + chain.chainId(), proxy.url().toString());
      // A local Solana RPC (litesvm) as devnet, for signAndSendTransaction; its process dies with the JVM.
      solanaNode = SolanaRpcNode.start();
      System.setProperty("MANDATE_RPC_URL_SOLANA_DEVNET", solanaNode.rpcUrl().toString());
      // Tests deliver schedule ticks themselves (tickNow), so runs happen exactly when a test says.
      System.setProperty("MANDATE_SCHEDULER_TICK_MS", "0");
      // Every AWS call the runner's clients make is counted (AwsCallCountTest reads the tally).
      System.setProperty("MANDATE_AWS_INTERCEPTORS", dev.mandate.testkit.AwsCallCounter.class.getName());
      final LocalRunner runner = LocalRunner.start(root.resolve("template.yaml"), 0);
      return new Stack(runner, moto, chain, proxy, captured, root);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The local Solana RPC, configured as devnet ({@link SolanaRpcNode#CAIP2}). */
  public SolanaRpcNode solana() {
    return solanaNode;
  }

  public HardhatNode chain() {
    return chain;
  }

  /** The proxy Mandate reaches the chain through (MANDATE_RPC_URL_EIP155_31337). */
  LossyRpcProxy rpcProxy() {
    return rpcProxy;
  }

  /** Delivers one schedule tick to every scheduled function, as EventBridge would. */
  public void tick() {
    runner.tickNow();
  }

  public String baseUrl() {
    return runner.baseUrl();
  }

  public Path repoRoot() {
    return repoRoot;
  }

  /** A client for the dev app. */
  /** The table writer of docs/security.md, over the stack's DynamoDB (one for every suite). */
  public synchronized TableAttacker table() {
    if (table == null) {
      table = new TableAttacker();
    }
    return table;
  }

  public MandateHttp client() {
    return new MandateHttp(baseUrl(), APP_ID, APP_SECRET);
  }

  /**
   * A client for a fresh app of its own (registered through the domain, as the runner registers its
   * dev app), so what a test breaks or tampers with stays there. {@code prefix}: two letters naming the suite.
   */
  public MandateHttp newApp(final String prefix) {
    final String appId = prefix + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 22);
    final String secret = "privy_app_secret_" + java.util.UUID.randomUUID().toString().replace("-", "");
    dev.mandate.Mandate.instance().apps().ensureApp(appId, secret);
    return client().withCredentials(appId, secret);
  }

  /** Everything printed since the stack started. */
  public String logs() {
    synchronized (captured) {
      return captured.toString(StandardCharsets.UTF_8);
    }
  }

  /** Writes to two streams; used to capture the process's output without hiding it. */
  private static final class Tee extends OutputStream {
    private final OutputStream first;
    private final ByteArrayOutputStream second;

    Tee(final OutputStream first, final ByteArrayOutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void write(final int b) throws IOException {
      first.write(b);
      synchronized (second) {
        second.write(b);
      }
    }

    @Override
    public void write(final byte[] b, final int off, final int len) throws IOException {
      first.write(b, off, len);
      synchronized (second) {
        second.write(b, off, len);
      }
    }

    @Override
    public void flush() throws IOException {
      first.flush();
    }
  }
}
