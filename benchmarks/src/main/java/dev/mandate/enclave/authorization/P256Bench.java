package dev.mandate.enclave.authorization;

/** Benchmark access to the two P-256 backends (this package, in the benchmarks module). */
public final class P256Bench {
  private P256Bench() {}

  public static P256PublicKey awsLc(final String spki) {
    return P256PublicKey.parse(spki).with(P256PublicKey.Backend.PREFERRED);
  }

  public static P256PublicKey bouncyCastle(final String spki) {
    return P256PublicKey.parse(spki).with(P256PublicKey.Backend.BOUNCY_CASTLE);
  }
}
