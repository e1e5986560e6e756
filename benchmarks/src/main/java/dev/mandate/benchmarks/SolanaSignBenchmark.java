package dev.mandate.benchmarks;

import dev.mandate.Mandate;
import dev.mandate.api.Api;
import dev.mandate.api.ApiRequest;
import dev.mandate.api.ApiResponse;
import dev.mandate.enclave.Enclave;
import dev.mandate.enclave.keys.DevKeyWrapper;
import dev.mandate.enclave.solana.Base58;
import dev.mandate.enclave.solana.Ed25519PrivateKey;
import dev.mandate.enclave.solana.SolanaTransaction;
import dev.mandate.signing.PublicUrl;
import dev.mandate.store.InMemoryStore;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The Solana sign path beside its floors: {@code signTransaction} of a v0 SOL transfer on an
 * ownerless wallet (app auth, routing, record load, seal check, transaction parse, policy selection,
 * key unwrap, ed25519 sign, response), one ed25519 signature (BouncyCastle), and parsing the
 * transaction alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SolanaSignBenchmark {
  private static final String APP = "benchapp0000000000000002";
  private static final String SECRET = "privy_app_secret_benchmark";

  private Path keyDir;
  private Api signApi;
  private ApiRequest signTransaction;
  private Ed25519PrivateKey floorKey;
  private byte[] transaction;
  private byte[] message;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    keyDir = Files.createTempDirectory("mandate-bench-solana");
    final DevKeyWrapper wrapper = DevKeyWrapper.builder().keyFile(keyDir.resolve("dev-master.key")).build();
    final InMemoryStore store = InMemoryStore.create();
    final Mandate mandate = Mandate.create(store, store.idempotency(), new Enclave(wrapper)::handle,
        new PublicUrl(Optional.of("http://127.0.0.1:8080")), Clock.systemUTC());
    mandate.apps().ensureApp(APP, SECRET);
    signApi = mandate.signApi();
    final ApiResponse created = mandate.walletsApi().handle(request("/v1/wallets", "{\"chain_type\":\"solana\"}"));
    final var wallet = new com.fasterxml.jackson.databind.ObjectMapper().readTree(created.body());
    transaction = transfer(wallet.path("address").asText());
    message = SolanaTransaction.parse(transaction).message().bytes();
    signTransaction = request("/v1/wallets/" + wallet.path("id").asText() + "/rpc",
        "{\"method\":\"signTransaction\",\"chain_type\":\"solana\",\"params\":{\"transaction\":\""
            + Base64.getEncoder().encodeToString(transaction) + "\",\"encoding\":\"base64\"}}");
    if (signApi.handle(signTransaction).status() != 200) {
      throw new IllegalStateException("setup: " + signApi.handle(signTransaction).body());
    }
    floorKey = Ed25519PrivateKey.generate();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    floorKey.close();
    try (var files = Files.walk(keyDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public ApiResponse solanaSignTransactionPath() {
    return signApi.handle(signTransaction);
  }

  @Benchmark
  public byte[] floorEd25519Sign() {
    return floorKey.sign(message);
  }

  @Benchmark
  public SolanaTransaction parseTransaction() {
    return SolanaTransaction.parse(transaction);
  }

  /** A v0 System Program transfer from {@code from}, the fee payer, as @solana/kit lays it out. */
  private static byte[] transfer(final String from) {
    final ByteArrayOutputStream m = new ByteArrayOutputStream();
    m.writeBytes(new byte[] {(byte) 0x80, 1, 0, 1, 3});
    m.writeBytes(Base58.decodePublicKey(from).orElseThrow());
    m.writeBytes(Base58.decodePublicKey("4tFqt2qzaNsnZqcpjPiyqYw9LdRzxaZdX2ewPncYEWLA").orElseThrow());
    m.writeBytes(new byte[32]); // the System Program
    m.writeBytes(new byte[32]); // blockhash
    m.writeBytes(new byte[] {1, 2, 2, 0, 1, 12});
    m.writeBytes(ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(2).putLong(1_000_000).array());
    m.write(0);
    final ByteArrayOutputStream tx = new ByteArrayOutputStream();
    tx.write(1);
    tx.writeBytes(new byte[64]);
    tx.writeBytes(m.toByteArray());
    return tx.toByteArray();
  }

  private static ApiRequest request(final String path, final String body) {
    final Map<String, String> headers = new HashMap<>();
    headers.put("privy-app-id", APP);
    headers.put("authorization", "Basic " + Base64.getEncoder().encodeToString((APP + ":" + SECRET).getBytes(StandardCharsets.UTF_8)));
    headers.put("content-type", "application/json");
    return new ApiRequest("POST", path, headers, Map.of(), Optional.of(body), Optional.of("127.0.0.1"));
  }
}
