package dev.mandate.signing;

import dev.mandate.api.ApiException;

/**
 * A request reaches more records (quorums, users, policies, condition sets, aggregations) than one
 * request may load: refused (400 {@code record_limit_exceeded}) rather than decided on part of them.
 */
public final class RecordLimitExceededException extends ApiException {
  private static final long serialVersionUID = 1L;

  public RecordLimitExceededException(final int limit) {
    super(400, "record_limit_exceeded", "This request refers, through its wallet, quorums and policies, to more than "
        + limit + " records; Mandate refuses it rather than decide on part of them. Reduce the signers, quorum"
        + " members or policy references involved.");
  }
}
