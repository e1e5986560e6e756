package dev.mandate.enclave.ethereum;

import java.util.List;

/**
 * One EIP-2930 access-list entry.
 *
 * @param address the account to pre-warm
 * @param storageKeys its storage slots, each {@code 0x} + 64 lowercase hex digits
 */
public record AccessListEntry(EthAddress address, List<String> storageKeys) {
  public AccessListEntry {
    storageKeys = List.copyOf(storageKeys);
  }
}
