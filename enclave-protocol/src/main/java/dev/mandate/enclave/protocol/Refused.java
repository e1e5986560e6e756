package dev.mandate.enclave.protocol;

/**
 * The enclave did nothing, and says why in terms the API can pass to the caller.
 *
 * @param reason which kind of refusal; decides the HTTP status
 * @param code Privy-style error code, e.g. {@code invalid_data}
 * @param message human-readable, safe to return (never holds key material)
 * @param details JSON object text with more for the caller, e.g. a policy decision
 */
public record Refused(Reason reason, String code, String message, java.util.Optional<String> details)
    implements EnclaveResponse {

  public Refused(final Reason reason, final String code, final String message) {
    this(reason, code, message, java.util.Optional.empty());
  }

  /** The kinds of refusal a caller must handle differently. */
  public enum Reason {
    /** The request itself is malformed or unsupported (400). */
    INVALID_REQUEST,
    /** Missing, wrong or too few authorization signatures (401). */
    UNAUTHORIZED,
    /** The signers may not do this at all, e.g. a signer trying to change the owner (403). */
    FORBIDDEN,
    /** A policy denied the request (400 {@code policy_violation}). */
    POLICY_VIOLATION,
    /** A record the action needs was not supplied (404 when it is the caller's reference). */
    NOT_FOUND,
    /** A stored record failed its seal, or a wrapped key would not unwrap (500, alarm). */
    INTEGRITY,
    /** A dependency (KMS) did not answer in time or is overloaded; nothing was done (503, retry). */
    UNAVAILABLE
  }
}
