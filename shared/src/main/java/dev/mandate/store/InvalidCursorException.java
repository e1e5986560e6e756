package dev.mandate.store;

/** A list cursor that this store did not issue for this kind (garbage, truncated, or another kind's). */
public class InvalidCursorException extends StoreException {
  private static final long serialVersionUID = 1L;

  public InvalidCursorException(final String message) {
    super(message);
  }
}
