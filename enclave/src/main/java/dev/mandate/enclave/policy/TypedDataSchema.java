package dev.mandate.enclave.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code typed_data: {types, primary_type}} of an {@code ethereum_typed_data_message}
 * condition: the EIP-712 schema a path such as {@code to.wallet} is read against. The schema
 * gives each leaf its kind (a {@code uint256} compares as a number, an {@code address}
 * case-insensitively); a request only matches when its primary type and every struct the path
 * crosses are declared exactly as here, so a look-alike struct cannot borrow an allowance.
 *
 * @param primaryType the struct the message is
 * @param types struct name → members, in order
 */
public record TypedDataSchema(String primaryType, Map<String, List<Member>> types) {
  /** Serialized size cap of the schema, like {@link AbiDecoder#MAX_ABI_CHARS}. */
  public static final int MAX_CHARS = 32_768;

  public record Member(String name, String type) {}

  public TypedDataSchema {
    types = Map.copyOf(types);
  }

  /**
   * Reads {@code {types, primary_type}} as a condition carries it.
   *
   * @throws IllegalArgumentException naming the problem
   */
  public static TypedDataSchema parse(final JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("typed_data must be an object {types, primary_type}");
    }
    if (node.toString().length() > MAX_CHARS) {
      throw new IllegalArgumentException("typed_data is too large (at most " + MAX_CHARS + " characters)");
    }
    final JsonNode primary = node.get("primary_type");
    if (primary == null || !primary.isTextual()) {
      throw new IllegalArgumentException("typed_data.primary_type must be a string");
    }
    final Optional<Map<String, List<Member>>> types = types(node.get("types"));
    if (types.isEmpty()) {
      throw new IllegalArgumentException("typed_data.types must be an object of [{name, type}] arrays");
    }
    if (!types.get().containsKey(primary.textValue())) {
      throw new IllegalArgumentException("typed_data.primary_type names a type that is not in typed_data.types");
    }
    return new TypedDataSchema(primary.textValue(), types.get());
  }

  public ObjectNode toJson() {
    final ObjectNode out = JsonNodeFactory.instance.objectNode();
    final ObjectNode typesNode = out.putObject("types");
    types.keySet().stream().sorted().forEach(name -> {
      final var members = typesNode.putArray(name);
      types.get(name).forEach(m -> members.addObject().put("name", m.name()).put("type", m.type()));
    });
    out.put("primary_type", primaryType);
    return out;
  }

  /** The kind of the leaf at {@code path} from the primary type; empty when it names no scalar. */
  public Optional<FieldValue.Kind> leafKind(final List<String> path) {
    String type = primaryType;
    for (final String segment : path) {
      final Optional<String> next = step(type, segment);
      if (next.isEmpty()) {
        return Optional.empty();
      }
      type = next.get();
    }
    return kind(type);
  }

  /**
   * The value at {@code path} in a request's {@code params.typed_data}; empty when the request's
   * schema differs from this one along the path, or the value is absent or not a scalar.
   */
  public Optional<FieldValue> read(final JsonNode typedData, final List<String> path) {
    final JsonNode primary = typedData.has("primary_type") ? typedData.get("primary_type") : typedData.get("primaryType");
    final Optional<Map<String, List<Member>>> requestTypes = types(typedData.get("types"));
    if (primary == null || !primaryType.equals(primary.asText()) || requestTypes.isEmpty()) {
      return Optional.empty();
    }
    String type = primaryType;
    JsonNode node = typedData.path("message");
    for (final String segment : path) {
      if (types.containsKey(type) && !types.get(type).equals(requestTypes.get().get(type))) {
        return Optional.empty();
      }
      final Optional<String> next = step(type, segment);
      if (next.isEmpty()) {
        return Optional.empty();
      }
      node = isArray(type) ? node.path(FieldPath.index(segment)) : node.path(segment);
      type = next.get();
    }
    final JsonNode value = node;
    return kind(type).flatMap(kind -> leaf(kind, value));
  }

  private Optional<String> step(final String type, final String segment) {
    if (isArray(type)) {
      final int open = type.lastIndexOf('[');
      final String dimension = type.substring(open + 1, type.length() - 1);
      final int index = FieldPath.index(segment);
      final boolean inRange = index >= 0
          && (dimension.isEmpty() || (FieldPath.index(dimension) >= 0 && index < FieldPath.index(dimension)));
      return inRange ? Optional.of(type.substring(0, open)) : Optional.empty();
    }
    return Optional.ofNullable(types.get(type))
        .flatMap(members -> members.stream().filter(m -> m.name().equals(segment)).findFirst())
        .map(Member::type);
  }

  private Optional<FieldValue.Kind> kind(final String type) {
    if (isArray(type) || types.containsKey(type)) {
      return Optional.empty();
    }
    if (type.matches("u?int[0-9]*")) {
      return Optional.of(FieldValue.Kind.NUMBER);
    }
    return switch (type) {
      case "address" -> Optional.of(FieldValue.Kind.ADDRESS);
      case "bool" -> Optional.of(FieldValue.Kind.BOOL);
      case "string" -> Optional.of(FieldValue.Kind.TEXT);
      default -> type.matches("bytes[0-9]*") ? Optional.of(FieldValue.Kind.BYTES) : Optional.empty();
    };
  }

  private static Optional<FieldValue> leaf(final FieldValue.Kind kind, final JsonNode node) {
    return switch (kind) {
      case NUMBER -> Numbers.of(node).map(FieldValue::number);
      case BOOL -> node.isBoolean() || node.isTextual()
          ? Optional.of(new FieldValue(kind, node.asText())) : Optional.empty();
      default -> node.isTextual() ? Optional.of(new FieldValue(kind, node.textValue())) : Optional.empty();
    };
  }

  private static boolean isArray(final String type) {
    return type.endsWith("]") && type.lastIndexOf('[') > 0;
  }

  private static Optional<Map<String, List<Member>>> types(final JsonNode node) {
    if (node == null || !node.isObject()) {
      return Optional.empty();
    }
    final Map<String, List<Member>> out = new LinkedHashMap<>();
    for (final Map.Entry<String, JsonNode> entry : node.properties()) {
      final Optional<List<Member>> members = members(entry.getValue());
      if (members.isEmpty()) {
        return Optional.empty();
      }
      out.put(entry.getKey(), members.get());
    }
    return Optional.of(out);
  }

  private static Optional<List<Member>> members(final JsonNode node) {
    if (!node.isArray()) {
      return Optional.empty();
    }
    final List<Member> members = new ArrayList<>();
    for (final JsonNode member : node) {
      if (!member.path("name").isTextual() || !member.path("type").isTextual()) {
        return Optional.empty();
      }
      members.add(new Member(member.get("name").textValue(), member.get("type").textValue()));
    }
    return Optional.of(List.copyOf(members));
  }
}
