package dev.mandate.chain;

/**
 * The sender cannot pay value plus gas (Privy code {@code insufficient_funds}). The message is the
 * node's, e.g. {@code insufficient funds for gas * price + value: have 0 want 21000000000000}; it
 * names amounts, never keys.
 */
public final class InsufficientFundsException extends ChainException {
  private static final long serialVersionUID = 1L;
  public static final String PRIVY_CODE = "insufficient_funds";

  public InsufficientFundsException(final String nodeMessage, final Throwable cause) {
    super(nodeMessage, cause);
  }
}
