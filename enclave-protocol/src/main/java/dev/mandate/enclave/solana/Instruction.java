package dev.mandate.enclave.solana;

import java.util.List;

/**
 * A compiled instruction as the message carries it: indices into the message's accounts, and data.
 *
 * @param programIdIndex always a static account key (the parser refuses anything else)
 * @param accountIndexes indices over static keys, then lookup-writable, then lookup-readonly accounts
 * @param data the instruction data (a copy is returned)
 */
public record Instruction(int programIdIndex, List<Integer> accountIndexes, byte[] data) {
  public Instruction {
    accountIndexes = List.copyOf(accountIndexes);
    data = data.clone();
  }

  @Override
  public byte[] data() {
    return data.clone();
  }
}
