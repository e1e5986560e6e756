package dev.mandate.enclave.execution;

import dev.mandate.enclave.Rng;
import dev.mandate.enclave.keys.KeyContext;
import dev.mandate.enclave.keys.KeyWrapper;
import dev.mandate.enclave.keys.WrappedKey;
import dev.mandate.enclave.records.RecordSealer;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The sealing master key: generated here, stored by the host only in wrapped form, unwrapped (one
 * KMS call) on first use in a process and kept in memory after — never before the first request, so
 * a SnapStart snapshot never holds it.
 */
final class SealKeys {
  static final KeyContext CONTEXT = KeyContext.recordSeal(KeyContext.GLOBAL, "seal-master-v1");
  private static final int MAX_CACHED = 4;

  private final KeyWrapper keys;
  private final Map<String, RecordSealer> sealers = new ConcurrentHashMap<>();

  SealKeys(final KeyWrapper keys) {
    this.keys = keys;
  }

  String create() {
    final byte[] master = new byte[32];
    Rng.get().nextBytes(master);
    try {
      return keys.wrap(master, CONTEXT).toStorageString();
    } finally {
      Arrays.fill(master, (byte) 0);
    }
  }

  RecordSealer sealer(final String wrapped) {
    if (wrapped == null || wrapped.isEmpty()) {
      throw new IllegalArgumentException("no sealing key supplied");
    }
    final RecordSealer cached = sealers.get(wrapped);
    if (cached != null) {
      return cached;
    }
    final byte[] master = keys.unwrap(WrappedKey.parse(wrapped), CONTEXT);
    try {
      if (sealers.size() >= MAX_CACHED) {
        sealers.clear();
      }
      final RecordSealer sealer = new RecordSealer(master);
      sealers.put(wrapped, sealer);
      return sealer;
    } finally {
      Arrays.fill(master, (byte) 0);
    }
  }
}
