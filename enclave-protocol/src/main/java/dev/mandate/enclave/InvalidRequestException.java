package dev.mandate.enclave;

/**
 * A request the enclave refuses because of what it says, not because of who sent it: a malformed
 * transaction, an unknown method, a value out of range. The message is written for the API caller
 * (it becomes a 400 {"error": message, "code": code}) and must never contain key material.
 */
public class InvalidRequestException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final String code;

  public InvalidRequestException(final String message) {
    this(message, "invalid_data");
  }

  public InvalidRequestException(final String message, final String code) {
    super(message, null, false, false);
    this.code = code;
  }

  /** Privy-style snake_case error code, e.g. {@code invalid_data}. */
  public String code() {
    return code;
  }
}
