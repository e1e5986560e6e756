package dev.mandate.enclave.execution;

import dev.mandate.enclave.keys.KeyContext;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Wrapped wallet keys already seen to open to the key of the address their sealed record names.
 * Deriving the public key to check that costs a scalar multiplication (for secp256k1 more than half a
 * signature); a wrapped key opened under the same context opens to the same key every time
 * (authenticated encryption, a fixed master key), so one check per wrapped key and context suffices.
 * A different ciphertext, context or address is checked afresh. Public data only (ciphertext, ids,
 * address); bounded, cleared whole when full.
 */
final class CheckedKeys {
  static final int MAX_ENTRIES = 10_000;

  private final Set<Binding> checked = ConcurrentHashMap.newKeySet();

  private record Binding(KeyContext context, String wrappedKey, String address) {}

  boolean contains(final KeyContext context, final String wrappedKey, final String address) {
    return checked.contains(new Binding(context, wrappedKey, address));
  }

  void add(final KeyContext context, final String wrappedKey, final String address) {
    if (checked.size() >= MAX_ENTRIES) {
      checked.clear();
    }
    checked.add(new Binding(context, wrappedKey, address));
  }
}
