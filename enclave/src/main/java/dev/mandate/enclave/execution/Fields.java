package dev.mandate.enclave.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.enclave.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Validation of request-body fields, with messages that name the field. */
final class Fields {
  private Fields() {}

  static void allowOnly(final ObjectNode body, final Set<String> allowed) {
    body.fieldNames().forEachRemaining(name -> {
      if (!allowed.contains(name)) {
        throw new InvalidRequestException("Unknown field: " + name + ".");
      }
    });
  }

  static boolean present(final ObjectNode body, final String field) {
    return body.has(field);
  }

  static boolean presentAndNotNull(final ObjectNode body, final String field) {
    return body.has(field) && !body.get(field).isNull();
  }

  static String requiredText(final ObjectNode body, final String field) {
    final JsonNode v = body.get(field);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw new InvalidRequestException(field + " is required and must be a non-empty string.");
    }
    return v.asText();
  }

  static Optional<String> optionalText(final JsonNode body, final String field, final int maxLength) {
    final JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return Optional.empty();
    }
    if (!v.isTextual()) {
      throw new InvalidRequestException(field + " must be a string.");
    }
    if (v.asText().length() > maxLength) {
      throw new InvalidRequestException(field + " must be at most " + maxLength + " characters.");
    }
    return Optional.of(v.asText());
  }

  /** An array of strings (null or absent → empty), at most {@code maxItems}, no duplicates. */
  static List<String> stringList(final JsonNode body, final String field, final int maxItems) {
    final JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw new InvalidRequestException(field + " must be an array of strings.");
    }
    if (v.size() > maxItems) {
      throw new InvalidRequestException(field + " may hold at most " + maxItems + " item" + (maxItems == 1 ? "." : "s."));
    }
    final List<String> out = new ArrayList<>();
    for (final JsonNode item : v) {
      if (!item.isTextual() || item.asText().isEmpty()) {
        throw new InvalidRequestException(field + " must be an array of non-empty strings.");
      }
      if (out.contains(item.asText())) {
        throw new InvalidRequestException(field + " lists " + item.asText() + " more than once.");
      }
      out.add(item.asText());
    }
    return List.copyOf(out);
  }
}
