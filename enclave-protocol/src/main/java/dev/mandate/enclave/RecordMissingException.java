package dev.mandate.enclave;

/** A record the request names (a wallet, an owner quorum, a signer) does not exist for this app (404). */
public class RecordMissingException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public RecordMissingException(final String message) {
    super(message, null, false, false);
  }
}
