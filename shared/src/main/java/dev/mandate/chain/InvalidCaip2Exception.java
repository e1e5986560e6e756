package dev.mandate.chain;

/** A {@code caip2} value that is not {@code eip155:<positive decimal chain id>}. */
public final class InvalidCaip2Exception extends ChainException {
  private static final long serialVersionUID = 1L;

  public InvalidCaip2Exception(final String message) {
    super(message);
  }
}
