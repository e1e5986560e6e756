package dev.mandate.enclave.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.enclave.InvalidRequestException;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;

/**
 * Reads policy JSON, failing the way Privy does: {@code 400 invalid_policy_format} with a message
 * {@code Validation error: <problem> at "<path>"}, the path written like {@code rules[0].name}.
 * Clients string-match these messages, so the wording follows Privy's (zod) where we know it.
 */
final class Validation {
  static final String CODE = "invalid_policy_format";

  private Validation() {}

  static InvalidRequestException error(final String problem, final String path) {
    final String where = path.isEmpty() ? "" : " at \"" + path + "\"";
    return new InvalidRequestException("Validation error: " + problem + where, CODE);
  }

  static String member(final String path, final String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  static String item(final String path, final int index) {
    return path + "[" + index + "]";
  }

  /** The member, or empty when absent or JSON null. */
  static Optional<JsonNode> optional(final JsonNode object, final String name) {
    final JsonNode node = object.get(name);
    return node == null || node.isNull() ? Optional.empty() : Optional.of(node);
  }

  static JsonNode required(final JsonNode object, final String name, final String path) {
    return optional(object, name).orElseThrow(() -> error("Required", member(path, name)));
  }

  static ObjectNode object(final JsonNode node, final String path) {
    if (!(node instanceof ObjectNode object)) {
      throw error("Expected object, received " + typeName(node), path);
    }
    return object;
  }

  static JsonNode array(final JsonNode node, final String path) {
    if (node == null || !node.isArray()) {
      throw error("Expected array, received " + typeName(node), path);
    }
    return node;
  }

  static String text(final JsonNode node, final String path) {
    if (node == null || !node.isTextual()) {
      throw error("Expected string, received " + typeName(node), path);
    }
    return node.textValue();
  }

  static String requiredText(final JsonNode object, final String name, final String path) {
    return text(required(object, name, path), member(path, name));
  }

  /** Refuses members outside {@code allowed}: a misspelt key would otherwise silently loosen a rule. */
  static void allowOnly(final JsonNode object, final String path, final Set<String> allowed) {
    final Iterator<String> names = object.fieldNames();
    while (names.hasNext()) {
      final String name = names.next();
      if (!allowed.contains(name)) {
        throw error("Unrecognized key(s) in object: '" + printable(name) + "'", path);
      }
    }
  }

  /** Caller-controlled text echoed in a message: bounded and printable. */
  static String printable(final String text) {
    final String cut = text.length() > 64 ? text.substring(0, 64) + "..." : text;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }

  private static String typeName(final JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return "null";
    }
    if (node.isTextual()) {
      return "string";
    }
    if (node.isNumber()) {
      return "number";
    }
    if (node.isBoolean()) {
      return "boolean";
    }
    return node.isArray() ? "array" : "object";
  }
}
