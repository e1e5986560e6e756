package dev.mandate.chain;

/**
 * The node refused a transaction because of its nonce: either this very transaction is already in
 * the pool or mined ({@link #alreadyKnown()}: re-broadcasting it succeeded in effect, and
 * {@link #transactionHash()} is its hash), or another transaction took the nonce (nonce too low,
 * replacement underpriced): fill a fresh nonce and sign again.
 */
public final class NonceConflictException extends ChainException {
  private static final long serialVersionUID = 1L;
  private final boolean alreadyKnown;
  private final String transactionHash;

  public NonceConflictException(
      final String nodeMessage, final boolean alreadyKnown, final String transactionHash, final Throwable cause) {
    super(nodeMessage, cause);
    this.alreadyKnown = alreadyKnown;
    this.transactionHash = transactionHash;
  }

  /** True when the node already has exactly this transaction (same hash). */
  public boolean alreadyKnown() {
    return alreadyKnown;
  }

  /** The hash of the transaction that was sent ({@code 0x} + 64 hex digits). */
  public String transactionHash() {
    return transactionHash;
  }
}
