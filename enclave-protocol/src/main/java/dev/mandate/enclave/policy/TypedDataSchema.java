package dev.mandate.enclave.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.enclave.ethereum.TypedData;
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
   * The value at {@code path} in a parsed request's message. Absent when the request's primary type
   * is another struct (by name); unreadable when it has this name but is declared differently from
   * this schema (its type hash differs: the condition cannot say what it is), or when the path names
   * no scalar of it.
   */
  Reading read(final TypedData request, final List<String> path) {
    if (!primaryType.equals(request.primaryType())) {
      return Reading.ABSENT;
    }
    if (!encodeType(primaryType).equals(request.encodeType(primaryType))) {
      return Reading.UNREADABLE;
    }
    return Reading.orUnreadable(request.scalar(path).map(FieldReader::scalar));
  }

  /** EIP-712 {@code encodeType} over this schema's types (structs it does not declare count as atomic). */
  String encodeType(final String type) {
    final StringBuilder out = new StringBuilder();
    appendType(out, type);
    final java.util.Set<String> found = new java.util.TreeSet<>();
    final java.util.Deque<String> pending = new java.util.ArrayDeque<>(List.of(type));
    while (!pending.isEmpty()) {
      for (final Member member : types.getOrDefault(pending.pop(), List.of())) {
        final int bracket = member.type().indexOf('[');
        final String base = bracket < 0 ? member.type() : member.type().substring(0, bracket);
        if (types.containsKey(base) && !base.equals(type) && found.add(base)) {
          pending.push(base);
        }
      }
    }
    found.forEach(dependency -> appendType(out, dependency));
    return out.toString();
  }

  private void appendType(final StringBuilder out, final String type) {
    out.append(type).append('(');
    final List<Member> members = types.getOrDefault(type, List.of());
    for (int i = 0; i < members.size(); i++) {
      out.append(i > 0 ? "," : "").append(members.get(i).type()).append(' ').append(members.get(i).name());
    }
    out.append(')');
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
