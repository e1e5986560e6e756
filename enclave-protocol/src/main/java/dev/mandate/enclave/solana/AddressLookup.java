package dev.mandate.enclave.solana;

import java.util.List;

/**
 * A v0 message's address-table lookup: accounts loaded from an on-chain table the message does not
 * contain. The enclave never fetches tables, so the addresses these indices load are unknown to it.
 *
 * @param table the lookup table's address (base58)
 * @param writableIndexes indices into the table loaded as writable accounts
 * @param readonlyIndexes indices into the table loaded as read-only accounts
 */
public record AddressLookup(String table, List<Integer> writableIndexes, List<Integer> readonlyIndexes) {
  public AddressLookup {
    writableIndexes = List.copyOf(writableIndexes);
    readonlyIndexes = List.copyOf(readonlyIndexes);
  }
}
