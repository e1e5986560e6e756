package dev.mandate.local;

/** The runner cannot start; the message says why in words meant for the person who ran it. */
public final class StartupException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StartupException(final String message) {
    super(message);
  }

  public StartupException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
