package dev.mandate.testkit;

/** A local stand-in for an AWS service (DynamoDB Local, moto_server) could not be started. */
public class BackendStartException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public BackendStartException(final String message) {
    super(message);
  }

  public BackendStartException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
