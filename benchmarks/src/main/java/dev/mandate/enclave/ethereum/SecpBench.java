package dev.mandate.enclave.ethereum;

import java.util.Optional;

/** Benchmark access to the package-private backends (this package, in the benchmarks module). */
public final class SecpBench {
  private SecpBench() {}

  /** libsecp256k1's recoverable sign via JNA (what the enclave uses). */
  public static Secp256k1PrivateKey recoverable(final byte[] secret) {
    return Secp256k1PrivateKey.fromBytes(secret, NativeSecp256k1Backend.load());
  }

  /** The previous path: JNI sign + one trial ecdsaRecover. */
  public static Secp256k1PrivateKey trialRecovery(final byte[] secret) {
    return Secp256k1PrivateKey.fromBytes(secret, NativeSecp256k1Backend.load(Optional.empty()));
  }
}
