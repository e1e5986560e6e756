package dev.mandate.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** An HTTP response: a status and a JSON body. */
public record ApiResponse(int status, String body) {

  public static ApiResponse ok(final JsonNode body) {
    return new ApiResponse(200, body.toString());
  }

  public static ApiResponse error(final ApiException e) {
    final ObjectNode body = Json.object().put("error", e.getMessage());
    if (e.code() != null) {
      body.put("code", e.code());
    }
    e.details().forEach(body::set);
    return new ApiResponse(e.status(), body.toString());
  }
}
