package dev.mandate.enclave.jwt;

/**
 * A user JWT that was refused. One unchecked type with a {@link Reason}, so callers branch on the
 * reason rather than on subclasses. The message is fixed per reason: it never contains the token,
 * its claims or the keys, and there is no cause (library messages may quote token content).
 */
public final class InvalidJwtException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a JWT was refused. */
  public enum Reason {
    /** Not a compact JWS, unparseable header or claims, or no {@code exp}. */
    MALFORMED("JWT is malformed"),
    /** {@code alg} not in the app's allowed set; covers {@code none}, HMAC and encrypted JWTs. */
    ALGORITHM_NOT_ALLOWED("JWT algorithm is not allowed"),
    /** No configured key matches the token (unknown {@code kid}, even after a refetch). */
    UNKNOWN_KEY("JWT signing key is not known"),
    BAD_SIGNATURE("JWT signature is invalid"),
    EXPIRED("JWT has expired"),
    NOT_YET_VALID("JWT is not valid yet"),
    WRONG_ISSUER("JWT issuer is not accepted"),
    WRONG_AUDIENCE("JWT audience is not accepted"),
    NO_SUBJECT("JWT has no subject"),
    /** The JWKS could not be fetched or parsed: the token was not judged. */
    KEYS_UNAVAILABLE("JWT verification keys are unavailable");

    private final String message;

    Reason(final String message) {
      this.message = message;
    }
  }

  private final Reason reason;

  public InvalidJwtException(final Reason reason) {
    super(reason.message, null, false, false);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
