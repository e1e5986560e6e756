package dev.mandate.benchmarks;

import dev.mandate.enclave.authorization.AuthorizationPayload;
import dev.mandate.enclave.authorization.P256PublicKey;
import dev.mandate.enclave.authorization.SignatureHeader;
import dev.mandate.enclave.authorization.SignerCandidates;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the host spends finding a request's session keys without listing a user's keys: recovering
 * the candidate signers of one P-256 authorization signature (one accepted payload encoding) and
 * fingerprinting them. The lookup itself is then one BatchGetItem of those ids.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SessionKeyLookupBenchmark {
  private AuthorizationPayload payload;
  private SignatureHeader oneSignature;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    payload = AuthorizationPayload.of("POST", "http://127.0.0.1:8080/v1/wallets/w1/rpc",
        "{\"method\":\"personal_sign\",\"params\":{\"message\":\"hello\",\"encoding\":\"utf-8\"}}",
        Map.of("privy-app-id", "benchapp0000000000000001"));
    final KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    final KeyPair pair = generator.generateKeyPair();
    final Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(pair.getPrivate());
    signer.update(payload.canonicalBytes());
    oneSignature = SignatureHeader.parse(Base64.getEncoder().encodeToString(signer.sign())).orElseThrow();
    if (SignerCandidates.of(payload, oneSignature).stream().noneMatch(k ->
        k.toBase64().equals(Base64.getEncoder().encodeToString(pair.getPublic().getEncoded())))) {
      throw new IllegalStateException("the signer is not among the candidates");
    }
  }

  @Benchmark
  public Set<String> candidateFingerprintsOfOneSignature() {
    return SignerCandidates.of(payload, oneSignature).stream().map(P256PublicKey::fingerprint)
        .collect(java.util.stream.Collectors.toSet());
  }
}
