package dev.mandate.chain;

/** A transaction field that cannot be read (the message names it, never its value). */
public final class InvalidTransactionException extends ChainException {
  private static final long serialVersionUID = 1L;

  public InvalidTransactionException(final String message) {
    super(message);
  }
}
