package dev.mandate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * An HTTP response: a status, a JSON body and headers beyond {@code content-type} (e.g.
 * {@code retry-after} on every 503).
 */
public record ApiResponse(int status, String body, java.util.Map<String, String> headers) {

  public ApiResponse {
    headers = java.util.Map.copyOf(headers);
  }

  public ApiResponse(final int status, final String body) {
    this(status, body, java.util.Map.of());
  }

  public static ApiResponse ok(final JsonNode body) {
    return new ApiResponse(200, body.toString());
  }

  /** A 200 whose body is JSON text the enclave wrote (passed on as it is, not parsed and written again). */
  public static ApiResponse okJson(final String json) {
    return new ApiResponse(200, json);
  }

  public static ApiResponse error(final ApiException e) {
    final ObjectNode body = Json.object().put("error", e.getMessage());
    if (e.code() != null) {
      body.put("code", e.code());
    }
    e.details().forEach(body::set);
    return e.status() == 503
        ? new ApiResponse(503, body.toString(), java.util.Map.of("retry-after", String.valueOf(ApiException.RETRY_AFTER_SECONDS)))
        : new ApiResponse(e.status(), body.toString());
  }
}
