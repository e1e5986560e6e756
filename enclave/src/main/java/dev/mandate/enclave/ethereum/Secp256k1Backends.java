package dev.mandate.enclave.ethereum;

/**
 * Picks the backend once per process: libsecp256k1 when it loads and passes its self-test,
 * BouncyCastle otherwise. {@code -Dmandate.secp256k1=bouncycastle} forces the fallback (for
 * benchmarks, or a platform where the native library misbehaves).
 */
public final class Secp256k1Backends {
  private Secp256k1Backends() {}

  static Secp256k1Backend preferred() {
    return Holder.PREFERRED;
  }

  /** Whether the fast path is in use; for health checks and benchmarks. */
  static boolean nativeLoaded() {
    return Holder.PREFERRED instanceof NativeSecp256k1Backend;
  }

  static Secp256k1Backend choose() {
    if ("bouncycastle".equals(System.getProperty("mandate.secp256k1"))) {
      return BouncyCastleSecp256k1Backend.INSTANCE;
    }
    try {
      return NativeSecp256k1Backend.load();
    } catch (Exception | LinkageError unavailable) {
      // Kotlin code may throw undeclared checked exceptions (e.g. an IOException extracting the .so).
      return BouncyCastleSecp256k1Backend.INSTANCE;
    }
  }

  /** After a SnapStart restore: re-randomizes the native context's blinding, if it was loaded. */
  public static void afterRestore() {
    if (Holder.PREFERRED instanceof NativeSecp256k1Backend backend) {
      backend.rerandomize();
    }
  }

  /** Lazy holder: the library loads on first use, not when this package's classes load. */
  private static final class Holder {
    static final Secp256k1Backend PREFERRED = choose();
  }
}
