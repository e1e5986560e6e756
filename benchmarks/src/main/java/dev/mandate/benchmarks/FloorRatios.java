package dev.mandate.benchmarks;

import dev.mandate.enclave.authorization.P256Bench;
import dev.mandate.enclave.authorization.P256PublicKey;
import dev.mandate.enclave.ethereum.SecpBench;
import dev.mandate.enclave.ethereum.Secp256k1PrivateKey;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Ratios that survive a busy machine: the contenders run in small interleaved batches (round-robin,
 * many rounds), so load that comes and goes hits each alike; reports the median µs per operation.
 * JMH's figures are better on a quiet machine; these ratios are for a shared one.
 *
 * <pre>java --enable-native-access=ALL-UNNAMED -cp benchmarks/target/benchmarks.jar dev.mandate.benchmarks.FloorRatios [rounds]</pre>
 */
public final class FloorRatios {
  private static final int BATCH = 200;

  private FloorRatios() {}

  public static void main(final String[] args) throws Exception {
    final int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 300;
    final byte[] secret = MessageDigest.getInstance("SHA-256").digest("ratio key".getBytes(StandardCharsets.UTF_8));
    final byte[] digest = MessageDigest.getInstance("SHA-256").digest("ratio".getBytes(StandardCharsets.UTF_8));
    final fr.acinq.secp256k1.Secp256k1 lib = fr.acinq.secp256k1.Secp256k1.get();
    final Secp256k1PrivateKey recoverable = SecpBench.recoverable(secret);
    final Secp256k1PrivateKey trial = SecpBench.trialRecovery(secret);
    final KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    final KeyPair owner = generator.generateKeyPair();
    final String spki = Base64.getEncoder().encodeToString(owner.getPublic().getEncoded());
    final byte[] message = "{\"body\":\"the signed payload\"}".getBytes(StandardCharsets.UTF_8);
    final Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(owner.getPrivate());
    signer.update(message);
    final byte[] der = signer.sign();
    final P256PublicKey awsLc = P256Bench.awsLc(spki);
    final P256PublicKey bc = P256Bench.bouncyCastle(spki);
    if (!awsLc.verifiesNatively() || !awsLc.verify(message, der) || !bc.verify(message, der)) {
      throw new IllegalStateException("set-up: a verifier failed");
    }

    final Map<String, Supplier<Object>> contenders = new LinkedHashMap<>();
    contenders.put("secp256k1 bare sign (JNI, no recovery id)", () -> lib.sign(digest, secret, null));
    contenders.put("secp256k1 sign_recoverable (JNA)", () -> recoverable.signDigest(digest));
    contenders.put("secp256k1 sign + trial recovery (before)", () -> trial.signDigest(digest));
    contenders.put("P-256 verify AWS-LC (ACCP)", () -> awsLc.verify(message, der));
    contenders.put("P-256 verify BouncyCastle", () -> bc.verify(message, der));
    contenders.put("owned floor: AWS-LC verify + sign_recoverable", () -> {
      awsLc.verify(message, der);
      return recoverable.signDigest(digest);
    });

    final SignPathBenchmark paths = new SignPathBenchmark();
    paths.setUp();
    contenders.put("sign path ownerless (Api.handle, in-memory store)", paths::signPathOwnerless);
    contenders.put("sign path owned (Api.handle, in-memory store)", paths::signPathOwned);

    final Map<String, double[]> micros = new LinkedHashMap<>();
    contenders.keySet().forEach(name -> micros.put(name, new double[rounds]));
    for (int round = -rounds / 5; round < rounds; round++) { // the first fifth warms up
      for (final Map.Entry<String, Supplier<Object>> c : contenders.entrySet()) {
        final long start = System.nanoTime();
        for (int i = 0; i < BATCH; i++) {
          c.getValue().get();
        }
        if (round >= 0) {
          micros.get(c.getKey())[round] = (System.nanoTime() - start) / 1000.0 / BATCH;
        }
      }
    }
    micros.forEach((name, values) -> System.out.printf("%-48s %8.1f µs (median of %d batches of %d)%n",
        name, median(values), rounds, BATCH));
  }

  private static double median(final double[] values) {
    final double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }
}
