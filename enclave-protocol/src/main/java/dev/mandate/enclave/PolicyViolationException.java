package dev.mandate.enclave;

/**
 * A policy denied a signing request. The message is Privy's; {@link #decision()} is Mandate's
 * explanation (the deciding rule, or that none matched) as JSON text.
 */
public class PolicyViolationException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  public static final String MESSAGE = "RPC request denied due to policy violation";

  private final String decision;

  public PolicyViolationException(final String decision) {
    super(MESSAGE, null, false, false);
    this.decision = decision;
  }

  public String decision() {
    return decision;
  }
}
