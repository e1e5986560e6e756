package dev.mandate.store;

/** Base of the store's failures a caller is expected to handle. Messages never contain documents. */
public class StoreException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreException(final String message) {
    super(message);
  }

  public StoreException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
