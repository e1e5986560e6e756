package dev.mandate.enclave;

/**
 * The request lacks the authorization signatures it needs (HTTP 401). Messages are Privy's own,
 * verbatim, because clients string-match on them.
 */
public class AuthorizationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public static final String MISSING_MESSAGE = "Missing `privy-authorization-signature` header or no signatures "
      + "provided. Learn more about authorization signatures here: https://docs.privy.io/api-reference/authorization-signatures";
  public static final String ZERO_MESSAGE = "No valid authorization signatures were provided. Your payload may be "
      + "malformed or your signing keys may be incorrect or expired. Docs: https://docs.privy.io/api-reference/authorization-signatures";
  public static final String INSUFFICIENT_MESSAGE =
      "Number of signatures in `privy-authorization-signature` header does not match the wallet's authorization threshold.";

  private final String code;

  public AuthorizationException(final String code, final String message) {
    super(message, null, false, false);
    this.code = code;
  }

  public String code() {
    return code;
  }

  public static AuthorizationException missing() {
    return new AuthorizationException("missing_or_empty_authorization_header", MISSING_MESSAGE);
  }
}
