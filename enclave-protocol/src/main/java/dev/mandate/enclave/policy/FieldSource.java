package dev.mandate.enclave.policy;

import java.util.Arrays;
import java.util.Optional;
import java.util.Set;

/**
 * Where a condition reads its field (privy-api.md §8.5), and which RPC methods carry that data.
 * A condition whose source a method does not carry never holds for that method.
 */
public enum FieldSource {
  ETHEREUM_TRANSACTION("ethereum_transaction", Set.of("eth_signTransaction", "eth_sendTransaction")),
  ETHEREUM_CALLDATA("ethereum_calldata", Set.of("eth_signTransaction", "eth_sendTransaction")),
  ETHEREUM_TYPED_DATA_DOMAIN("ethereum_typed_data_domain", Set.of("eth_signTypedData_v4")),
  ETHEREUM_TYPED_DATA_MESSAGE("ethereum_typed_data_message", Set.of("eth_signTypedData_v4")),
  ETHEREUM_7702_AUTHORIZATION("ethereum_7702_authorization", Set.of("eth_sign7702Authorization")),
  /** Solana: each top-level instruction's program id ({@code programId}). */
  SOLANA_PROGRAM_INSTRUCTION("solana_program_instruction", SolanaMethods.TRANSACTIONS),
  /** Solana: System Program instructions ({@code instructionName}, {@code Transfer.from|to|lamports}). */
  SOLANA_SYSTEM_PROGRAM_INSTRUCTION("solana_system_program_instruction", SolanaMethods.TRANSACTIONS),
  /** Solana: SPL Token (and Token-2022) instructions ({@code instructionName}, {@code TransferChecked.amount}, …). */
  SOLANA_TOKEN_PROGRAM_INSTRUCTION("solana_token_program_instruction", SolanaMethods.TRANSACTIONS),
  /** Solana, a Mandate extension: the transaction as a whole ({@code feePayer}). */
  SOLANA_TRANSACTION("solana_transaction", SolanaMethods.TRANSACTIONS),
  /** Facts about the evaluation itself (the clock); every method has them. */
  SYSTEM("system", Set.of()),
  /** Aggregations, computed by the caller; every method can refer to them. */
  REFERENCE("reference", Set.of());

  private final String wire;
  private final Set<String> methods;

  FieldSource(final String wire, final Set<String> methods) {
    this.wire = wire;
    this.methods = methods;
  }

  public String wire() {
    return wire;
  }

  /** Whether a request of {@code method} carries this source's data. */
  public boolean appliesTo(final String method) {
    return methods.isEmpty() || methods.contains(method);
  }

  /**
   * Whether a request of {@code method} may sign this source's data without showing it: hash signing
   * ({@code raw_sign}, {@code secp256k1_sign}) signs a digest that may be a transaction's, typed
   * data's or an authorization's, so what an Ethereum source asks about is there but unreadable.
   */
  public boolean hiddenIn(final String method) {
    return isEthereum() && HASH_METHODS.contains(method);
  }

  private static final Set<String> HASH_METHODS = Set.of("raw_sign", "signRawMessageBytes", "secp256k1_sign");

  public static Optional<FieldSource> fromWire(final String wire) {
    return Arrays.stream(values()).filter(s -> s.wire.equals(wire)).findFirst();
  }

  /** Whether this source reads a Solana transaction (and so goes only in {@code chain_type: "solana"} policies). */
  public boolean isSolana() {
    return wire.startsWith("solana_");
  }

  /** Whether this source reads an Ethereum request. */
  public boolean isEthereum() {
    return wire.startsWith("ethereum_");
  }

  private static final class SolanaMethods {
    static final Set<String> TRANSACTIONS = Set.of("signTransaction", "signAndSendTransaction");
  }
}
