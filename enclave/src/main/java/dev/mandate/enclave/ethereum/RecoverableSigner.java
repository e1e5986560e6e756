package dev.mandate.enclave.ethereum;

import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.io.File;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Optional;

/**
 * libsecp256k1's own {@code secp256k1_ecdsa_sign_recoverable}, which returns the recovery id with
 * the signature, so no trial {@code ecdsaRecover} is needed. ACINQ's JNI binding does not expose it,
 * but its bundled library exports it (checked with {@code nm -D}); this calls it through JNA direct
 * mapping on a context of its own, randomized (side-channel blinding) when first loaded.
 *
 * <p>Inputs pass through one native scratch buffer per thread; the secret's bytes there are zeroed
 * after every call. Thread-safe: signing only reads the context.
 */
final class RecoverableSigner {
  private static final int CONTEXT_NONE = 1; // SECP256K1_CONTEXT_NONE = SECP256K1_FLAGS_TYPE_CONTEXT
  private static final int SECRET = 0;
  private static final int DIGEST = 32;
  private static final int SIGNATURE = 64; // secp256k1_ecdsa_recoverable_signature: 65 opaque bytes
  private static final int COMPACT = 64 + 65;
  private static final int RECOVERY_ID = COMPACT + 64;
  private static final int SCRATCH = RECOVERY_ID + 4;

  private final Pointer context;
  private final ThreadLocal<Memory> scratch = ThreadLocal.withInitial(() -> new Memory(SCRATCH));

  private RecoverableSigner(final Pointer context) {
    this.context = context;
  }

  /** The signer, or empty when JNA or the library's recoverable module is not available here. */
  static Optional<RecoverableSigner> load() {
    try {
      final RecoverableSigner signer = new RecoverableSigner(Native0.init());
      signer.rerandomize();
      return Optional.of(signer);
    } catch (Exception | LinkageError unavailable) {
      return Optional.empty();
    }
  }

  /**
   * New side-channel blinding for the context (libsecp256k1's {@code secp256k1_context_randomize}).
   * Signatures do not change (RFC 6979); after a SnapStart restore each clone gets its own blinding.
   */
  void rerandomize() {
    final byte[] seed = new byte[32];
    new SecureRandom().nextBytes(seed);
    try {
      if (Native0.secp256k1_context_randomize(context, seed) != 1) {
        throw new IllegalStateException("secp256k1_context_randomize failed");
      }
    } finally {
      java.util.Arrays.fill(seed, (byte) 0);
    }
  }

  /** 64-byte compact (r ‖ s, low S) and the recovery id, RFC 6979 nonce: [r ‖ s ‖ v]. */
  byte[] sign(final byte[] digest, final byte[] secret) {
    final Memory memory = scratch.get();
    memory.write(SECRET, secret, 0, 32);
    try {
      memory.write(DIGEST, digest, 0, 32);
      final Pointer signature = memory.share(SIGNATURE);
      if (Native0.secp256k1_ecdsa_sign_recoverable(context, signature, memory.share(DIGEST), memory.share(SECRET),
          null, null) != 1) {
        throw new IllegalStateException("libsecp256k1 refused to sign");
      }
      Native0.secp256k1_ecdsa_recoverable_signature_serialize_compact(context, memory.share(COMPACT),
          memory.share(RECOVERY_ID), signature);
      final byte[] out = new byte[65];
      memory.read(COMPACT, out, 0, 64);
      out[64] = (byte) memory.getInt(RECOVERY_ID);
      return out;
    } finally {
      memory.setMemory(SECRET, 32, (byte) 0);
    }
  }

  /** The JNA direct-mapped functions; registering them loads a copy of ACINQ's bundled library. */
  private static final class Native0 {
    private static final String RESOURCE = "/fr/acinq/secp256k1/jni/native/%s/libsecp256k1-jni.so";

    static native Pointer secp256k1_context_create(int flags);

    static native int secp256k1_context_randomize(Pointer context, byte[] seed32);

    static native int secp256k1_ecdsa_sign_recoverable(Pointer context, Pointer signature, Pointer digest32,
        Pointer secret32, Pointer nonceFunction, Pointer nonceData);

    static native int secp256k1_ecdsa_recoverable_signature_serialize_compact(Pointer context, Pointer output64,
        Pointer recoveryId, Pointer signature);

    static Pointer init() throws java.io.IOException {
      synchronized (Native0.class) {
        if (!registered) {
          final File library = Native.extractFromResourcePath(String.format(RESOURCE, platform()),
              RecoverableSigner.class.getClassLoader());
          Native.register(Native0.class, NativeLibrary.getInstance(library.getAbsolutePath()));
          registered = true;
        }
      }
      final Pointer context = secp256k1_context_create(CONTEXT_NONE);
      if (context == null) {
        throw new IllegalStateException("secp256k1_context_create failed");
      }
      return context;
    }

    private static boolean registered;

    private static String platform() {
      final String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
      final String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
      if (!os.contains("linux")) {
        throw new UnsupportedOperationException("recoverable signing via JNA is wired for Linux only");
      }
      return arch.equals("aarch64") || arch.equals("arm64") ? "linux-aarch64" : "linux-x86_64";
    }
  }
}
