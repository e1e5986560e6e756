package dev.mandate.enclave;

/**
 * A stored record's seal does not match, or a wrapped key does not belong to its record: someone
 * wrote to the database behind the enclave's back. The request is refused; the message is generic.
 */
public class IntegrityException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public IntegrityException(final String message) {
    super(message, null, false, false);
  }
}
