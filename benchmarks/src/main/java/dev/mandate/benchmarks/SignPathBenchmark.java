package dev.mandate.benchmarks;

import dev.mandate.Mandate;
import dev.mandate.api.Api;
import dev.mandate.api.ApiRequest;
import dev.mandate.api.ApiResponse;
import dev.mandate.enclave.Enclave;
import dev.mandate.enclave.authorization.AuthorizationPayload;
import dev.mandate.enclave.ethereum.Secp256k1PrivateKey;
import dev.mandate.enclave.keys.DevKeyWrapper;
import dev.mandate.signing.PublicUrl;
import dev.mandate.store.InMemoryStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
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
 * The sign path, request in and signature out, beside its crypto floor, in one run.
 *
 * <ul>
 *   <li>{@code signPathOwnerless}: app auth, routing, record load, seal check, parse, key unwrap
 *       (dev wrapper: AES-GCM; on AWS add one KMS Decrypt round trip), secp256k1 sign, response.
 *   <li>{@code signPathOwned}: the same on a wallet owned by a P-256 key: adds canonicalization of the
 *       signed payload and one P-256 verification.
 *   <li>{@code floorSecp256k1Sign}: one RFC 6979 secp256k1 signature with its recovery id, as the
 *       enclave signs (libsecp256k1's {@code secp256k1_ecdsa_sign_recoverable} via JNA).
 *   <li>{@code floorSecp256k1BareSign}: libsecp256k1's plain {@code secp256k1_ecdsa_sign} through
 *       ACINQ's JNI binding, no recovery id: the bare floor goal 5 compares against.
 *   <li>{@code floorOwned}: one P-256 verification plus one recoverable secp256k1 signature, the
 *       crypto an owned signature cannot avoid.
 *   <li>{@code floorP256Verify}: one P-256 verification (BouncyCastle custom curve).
 * </ul>
 *
 * <p>The store is in memory so the figures measure Mandate's own work; DynamoDB and KMS latency
 * add to them in a deployment (see docs/benchmarks.md).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SignPathBenchmark {
  private static final String APP = "benchapp0000000000000001";
  private static final String SECRET = "privy_app_secret_benchmark";
  private static final String BASE = "http://127.0.0.1:8080";
  private static final String MESSAGE_BODY =
      "{\"method\":\"personal_sign\",\"params\":{\"message\":\"hello from the benchmark\",\"encoding\":\"utf-8\"},\"chain_type\":\"ethereum\"}";

  private Path keyDir;
  private Api signApi;
  private ApiRequest ownerlessRequest;
  private ApiRequest ownedRequest;
  private Secp256k1PrivateKey floorKey;
  private byte[] digest;
  private dev.mandate.enclave.authorization.P256PublicKey p256;
  private byte[] p256Message;
  private byte[] p256Signature;
  private byte[] bareSecret;
  private fr.acinq.secp256k1.Secp256k1 libsecp256k1;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    keyDir = Files.createTempDirectory("mandate-bench");
    final DevKeyWrapper wrapper = DevKeyWrapper.builder().keyFile(keyDir.resolve("dev-master.key")).build();
    final InMemoryStore store = InMemoryStore.create();
    final Enclave enclave = new Enclave(wrapper);
    final Mandate mandate = Mandate.create(store, store.idempotency(), enclave::handle,
        new PublicUrl(Optional.of(BASE)), Clock.systemUTC());
    mandate.apps().ensureApp(APP, SECRET);
    signApi = mandate.signApi();
    final Api wallets = mandate.walletsApi();

    final String ownerless = walletId(wallets.handle(request("POST", "/v1/wallets", "{\"chain_type\":\"ethereum\"}", Map.of())));
    ownerlessRequest = request("POST", "/v1/wallets/" + ownerless + "/rpc", MESSAGE_BODY, Map.of());

    final KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    final KeyPair owner = generator.generateKeyPair();
    final String spki = Base64.getEncoder().encodeToString(owner.getPublic().getEncoded());
    final String owned = walletId(wallets.handle(request("POST", "/v1/wallets",
        "{\"chain_type\":\"ethereum\",\"owner\":{\"public_key\":\"" + spki + "\"}}", Map.of())));
    final String path = "/v1/wallets/" + owned + "/rpc";
    final byte[] payload = AuthorizationPayload.of("POST", BASE + path, MESSAGE_BODY, Map.of("privy-app-id", APP))
        .canonicalBytes();
    final Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(owner.getPrivate());
    signer.update(payload);
    final String signature = Base64.getEncoder().encodeToString(signer.sign());
    ownedRequest = request("POST", path, MESSAGE_BODY, Map.of("privy-authorization-signature", signature));
    check(signApi.handle(ownedRequest));
    check(signApi.handle(ownerlessRequest));

    floorKey = Secp256k1PrivateKey.generate();
    digest = MessageDigest.getInstance("SHA-256").digest("floor".getBytes(StandardCharsets.UTF_8));
    p256 = dev.mandate.enclave.authorization.P256PublicKey.parse(spki);
    p256Message = payload;
    p256Signature = Base64.getDecoder().decode(signature);
    bareSecret = MessageDigest.getInstance("SHA-256").digest("bare floor key".getBytes(StandardCharsets.UTF_8));
    libsecp256k1 = fr.acinq.secp256k1.Secp256k1.get();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws Exception {
    floorKey.close();
    try (var files = Files.walk(keyDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  @Benchmark
  public ApiResponse signPathOwnerless() {
    return signApi.handle(ownerlessRequest);
  }

  @Benchmark
  public ApiResponse signPathOwned() {
    return signApi.handle(ownedRequest);
  }

  @Benchmark
  public Object floorSecp256k1Sign() {
    return floorKey.signDigest(digest);
  }

  @Benchmark
  public byte[] floorSecp256k1BareSign() {
    return libsecp256k1.sign(digest, bareSecret, null);
  }

  @Benchmark
  public Object floorOwned() {
    if (!p256.verify(p256Message, p256Signature)) {
      throw new IllegalStateException("floor signature did not verify");
    }
    return floorKey.signDigest(digest);
  }

  @Benchmark
  public boolean floorP256Verify() {
    return p256.verify(p256Message, p256Signature);
  }

  private static ApiRequest request(final String method, final String path, final String body,
      final Map<String, String> extra) {
    final Map<String, String> headers = new HashMap<>(extra);
    headers.put("privy-app-id", APP);
    headers.put("authorization", "Basic " + Base64.getEncoder()
        .encodeToString((APP + ":" + SECRET).getBytes(StandardCharsets.UTF_8)));
    headers.put("content-type", "application/json");
    return new ApiRequest(method, path, headers, Map.of(), Optional.of(body), Optional.of("127.0.0.1"));
  }

  private static String walletId(final ApiResponse response) {
    check(response);
    return dev.mandate.api.Json.parseStored(response.body()).path("id").asText();
  }

  private static void check(final ApiResponse response) {
    if (response.status() != 200) {
      throw new IllegalStateException("setup request failed: " + response.status() + " " + response.body());
    }
  }
}
