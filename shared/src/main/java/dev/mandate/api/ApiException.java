package dev.mandate.api;

/**
 * A failure the API reports to its caller as {@code {"error": message, "code": code}} with an HTTP
 * status, in Privy's vocabulary. The message is shown to callers, so it never holds secrets.
 */
public class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String code;
  private final transient java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> details =
      new java.util.LinkedHashMap<>();

  public ApiException(final int status, final String code, final String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** Adds a member to the error body beyond {@code error} and {@code code} (a Mandate extension). */
  public ApiException withDetail(final String field, final com.fasterxml.jackson.databind.JsonNode value) {
    if (value != null) {
      details.put(field, value);
    }
    return this;
  }

  public java.util.Map<String, com.fasterxml.jackson.databind.JsonNode> details() {
    return java.util.Collections.unmodifiableMap(details);
  }

  public static ApiException invalid(final String message) {
    return new ApiException(400, "invalid_data", message);
  }

  public static ApiException notFound(final String message) {
    return new ApiException(404, "not_found", message);
  }

  public static ApiException conflict(final String message) {
    return new ApiException(409, "resource_conflict", message);
  }

  /** Seconds a 503 asks the caller to wait before retrying ({@code Retry-After}). */
  public static final int RETRY_AFTER_SECONDS = 1;

  /** 503: a dependency did not answer in time; nothing was done and the caller may retry. */
  public static ApiException unavailable(final String code, final String message) {
    return new ApiException(503, code, message);
  }

  /** Privy answers every credential problem with this one message, and so do we. */
  public static ApiException badAppCredentials() {
    return new ApiException(401, "invalid_credentials", "Invalid app ID or app secret.");
  }
}
