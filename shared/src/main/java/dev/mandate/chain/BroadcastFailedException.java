package dev.mandate.chain;

/**
 * The node refused a signed transaction for a reason other than funds or nonce (Privy code
 * {@code transaction_broadcast_failure}). The message is the node's.
 */
public final class BroadcastFailedException extends ChainException {
  private static final long serialVersionUID = 1L;
  public static final String PRIVY_CODE = "transaction_broadcast_failure";

  public BroadcastFailedException(final String nodeMessage, final Throwable cause) {
    super(nodeMessage, cause);
  }
}
