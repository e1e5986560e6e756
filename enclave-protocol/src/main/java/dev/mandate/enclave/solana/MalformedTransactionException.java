package dev.mandate.enclave.solana;

import dev.mandate.enclave.InvalidRequestException;

/** Bytes that are not a well-formed Solana transaction or message; a 400 naming what is wrong. */
public final class MalformedTransactionException extends InvalidRequestException {
  private static final long serialVersionUID = 1L;

  public MalformedTransactionException(final String message) {
    super(message);
  }
}
