package dev.mandate.chain;

/**
 * The node could not be reached, timed out, or answered something that is not JSON-RPC. A request
 * that failed this way may or may not have been processed: re-sending the same signed transaction
 * is safe (it is then {@link NonceConflictException#alreadyKnown() already known}).
 */
public final class ChainUnavailableException extends ChainException {
  private static final long serialVersionUID = 1L;

  public ChainUnavailableException(final String message) {
    super(message);
  }

  public ChainUnavailableException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
