package dev.mandate.chain;

/**
 * Base of every failure talking to a chain, so a caller can catch them all at once. Messages hold
 * the node's own words or a fixed text, never RPC URLs (they often carry API keys), parameters or
 * raw transactions.
 */
public abstract class ChainException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  protected ChainException(final String message) {
    super(message);
  }

  protected ChainException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
