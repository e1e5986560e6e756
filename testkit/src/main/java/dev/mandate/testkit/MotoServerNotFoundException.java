package dev.mandate.testkit;

/**
 * {@code moto_server} is not installed. A separate type so the local runner can fall back (for
 * example to the dev key wrapper) instead of failing.
 */
public class MotoServerNotFoundException extends BackendStartException {
  private static final long serialVersionUID = 1L;

  public MotoServerNotFoundException(final String message) {
    super(message);
  }
}
