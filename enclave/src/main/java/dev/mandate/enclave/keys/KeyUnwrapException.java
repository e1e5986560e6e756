package dev.mandate.enclave.keys;

/**
 * A wrapped key could not be turned back into plaintext: it is malformed, was tampered with, was
 * wrapped under another {@link KeyContext} (e.g. copied from another wallet's record) or under
 * another master key. The message never contains key material.
 *
 * <p>Infrastructure failures (KMS unreachable, throttled, access denied) are not this exception:
 * they surface as the SDK's own exceptions, because retrying may fix them.
 */
public class KeyUnwrapException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public KeyUnwrapException(final String message) {
    super(message);
  }

  public KeyUnwrapException(final String message, final Throwable cause) {
    super(message, cause);
  }
}
