package dev.mandate.api;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Optional;

/**
 * JSON for the API: Jackson's tree model only (no data binding, no reflection), with bounds that
 * stop hostile bodies before they cost memory or stack.
 */
public final class Json {
  /** Largest body the API reads. API Gateway caps payloads at 10 MB; ours are far smaller. */
  public static final int MAX_BODY_BYTES = 1 << 20;

  private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(64)
          .maxNumberLength(100)
          .maxStringLength(MAX_BODY_BYTES)
          .build())
      .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private Json() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  /** Parses a document stored by this service (trusted to be well-formed). */
  public static ObjectNode parseStored(final String text) {
    try {
      return (ObjectNode) MAPPER.readTree(text);
    } catch (IOException | ClassCastException e) {
      throw new IllegalStateException("stored document is not a JSON object", e);
    }
  }

  /** Parses a request body that must be a JSON object; a missing or empty body is an empty object. */
  public static ObjectNode bodyObject(final Optional<String> body) {
    if (body.isEmpty() || body.get().isBlank()) {
      return object();
    }
    final String text = body.get();
    if (text.length() > MAX_BODY_BYTES) {
      throw new ApiException(413, "payload_too_large", "Request body is larger than 1 MiB.");
    }
    final JsonNode node;
    try {
      node = MAPPER.readTree(text);
    } catch (IOException e) {
      throw ApiException.invalid("Request body is not valid JSON.");
    }
    if (node == null || !node.isObject()) {
      throw ApiException.invalid("Request body must be a JSON object.");
    }
    return (ObjectNode) node;
  }
}
