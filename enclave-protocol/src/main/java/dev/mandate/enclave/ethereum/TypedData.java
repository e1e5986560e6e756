package dev.mandate.enclave.ethereum;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.enclave.InvalidRequestException;
import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * EIP-712 typed structured data, parsed, validated and hashed.
 *
 * <p>Everything is checked at parse time (types, every value against its type, integer ranges,
 * byte lengths) and the digest is computed then, so what a policy reads is what gets signed.
 * Work is bounded: nesting depth, array lengths and the total number of values are capped, so
 * hostile input costs an error, never a StackOverflowError or an out-of-memory.
 *
 * <p>When {@code types} has no {@code EIP712Domain} it is derived from the keys present in
 * {@code domain}, in the canonical order name, version, chainId, verifyingContract, salt, as ethers
 * and viem do. Message members that no type declares are ignored (as ethers, viem and
 * eth-sig-util ignore them): they are not signed, so policies must read values through the types.
 */
public final class TypedData {
  /** A struct member: {@code {"name": ..., "type": ...}}. */
  public record Member(String name, String type) {}

  static final String DOMAIN_TYPE = "EIP712Domain";
  static final int MAX_DEPTH = 32;
  static final int MAX_VALUES = 100_000;

  /** Names are identifiers of at most 256 characters (they end up in the type hash and in error paths). */
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]{0,255}");
  private static final Pattern TYPE = Pattern.compile("([A-Za-z_$][A-Za-z0-9_$]{0,255})((?:\\[[0-9]*\\])*)");
  private static final Pattern INTEGER = Pattern.compile("(u?)int([0-9]*)");
  private static final Pattern FIXED_BYTES = Pattern.compile("bytes([0-9]+)");
  private static final Map<String, String> DOMAIN_FIELDS = domainFields();
  private static final byte[] PREFIX = {0x19, 0x01};

  private final Map<String, List<Member>> types;
  private final String primaryType;
  private final ObjectNode domain;
  private final JsonNode message;
  private final Map<String, byte[]> typeHashes = new ConcurrentHashMap<>();
  private final byte[] domainSeparator;
  private final Optional<byte[]> messageHash;
  private final Optional<BigInteger> domainChainId;
  private final Optional<EthAddress> verifyingContract;

  private TypedData(
      final Map<String, List<Member>> types, final String primaryType, final ObjectNode domain,
      final JsonNode message, final String path) {
    this.types = types;
    this.primaryType = primaryType;
    this.domain = domain;
    this.message = message;
    this.domainSeparator = hashStruct(DOMAIN_TYPE, domain, path + ".domain", new Budget());
    this.messageHash = DOMAIN_TYPE.equals(primaryType)
        ? Optional.empty()
        : Optional.of(hashStruct(primaryType, message, path + ".message", new Budget()));
    this.domainChainId = domainMember("chainId", t -> integerBits(t).isPresent())
        .flatMap(node -> Fields.integer(node, path + ".domain.chainId"));
    this.verifyingContract = domainMember("verifyingContract", "address"::equals)
        .map(node -> Fields.address(node, path + ".domain.verifyingContract"));
  }

  /**
   * Parses {@code {domain, types, message, primary_type}} ({@code primaryType} accepted too).
   *
   * @param path where the object sits in the request, for error messages
   */
  static TypedData parse(final JsonNode typedData, final String path) {
    final JsonNode object = Fields.object(typedData, path);
    Fields.allowOnly(object, path, Set.of("domain", "types", "message", "primary_type", "primaryType"));
    final String primaryType = primaryType(object, path);
    final ObjectNode domain = Fields.optional(object, "domain")
        .map(d -> Fields.object(d, path + ".domain"))
        .orElseGet(JsonNodeFactory.instance::objectNode);
    final Map<String, List<Member>> types =
        parseTypes(Fields.required(object, "types", path + ".types"), domain, path);
    if (!types.containsKey(primaryType)) {
      throw Fields.invalid(path + ".primary_type", "names a type that is not in types");
    }
    final JsonNode message = DOMAIN_TYPE.equals(primaryType)
        ? Fields.optional(object, "message").orElseGet(JsonNodeFactory.instance::objectNode)
        : Fields.required(object, "message", path + ".message");
    return new TypedData(types, primaryType, domain, message, path);
  }

  /**
   * Parses typed data given as separate parts (as the ethers test vectors are); same checks as a
   * request. {@code types} may omit {@code EIP712Domain}.
   */
  public static TypedData of(
      final JsonNode domain, final JsonNode types, final String primaryType, final JsonNode message) {
    final ObjectNode object = JsonNodeFactory.instance.objectNode();
    object.set("domain", domain);
    object.set("types", types);
    object.put("primary_type", primaryType);
    object.set("message", message);
    return parse(object, "typed_data");
  }

  /** {@code keccak256(0x19 ‖ 0x01 ‖ domainSeparator ‖ hashStruct(message))}; the message part is left out when the primary type is the domain. */
  public byte[] digest() {
    return messageHash
        .map(hash -> Keccak.keccak256(PREFIX, domainSeparator, hash))
        .orElseGet(() -> Keccak.keccak256(PREFIX, domainSeparator));
  }

  /** {@code hashStruct(EIP712Domain, domain)}. */
  public byte[] domainSeparator() {
    return domainSeparator.clone();
  }

  /** The chain id the domain binds the signature to, when its type declares a {@code chainId}. */
  public Optional<BigInteger> domainChainId() {
    return domainChainId;
  }

  /** The contract the domain binds the signature to, when its type declares a {@code verifyingContract}. */
  public Optional<EthAddress> verifyingContract() {
    return verifyingContract;
  }

  public String primaryType() {
    return primaryType;
  }

  /** Every struct type, {@code EIP712Domain} included (derived when the request had none). Read-only. */
  public Map<String, List<Member>> types() {
    return types;
  }

  /** The domain object as sent. Treat it as read-only. */
  public JsonNode domain() {
    return domain;
  }

  /** The message object as sent. Treat it as read-only. */
  public JsonNode message() {
    return message;
  }

  /** {@code encodeData(type, value)}: the type hash followed by each member's 32-byte encoding. */
  public byte[] encodeData(final String type, final JsonNode value) {
    requireStruct(type);
    return encodeData(type, value, "value", 0, new Budget());
  }

  /** {@code hashStruct(type, value) = keccak256(encodeData(type, value))}. */
  public byte[] hashStruct(final String type, final JsonNode value) {
    requireStruct(type);
    return hashStruct(type, value, "value", new Budget());
  }

  /** {@code encodeType(type)}: e.g. {@code Mail(Person from,Person to,string contents)Person(string name,address wallet)}. */
  public String encodeType(final String type) {
    requireStruct(type);
    final StringBuilder out = new StringBuilder();
    appendType(out, type);
    for (final String dependency : dependencies(type)) {
      appendType(out, dependency);
    }
    return out.toString();
  }

  /**
   * A scalar of the message at {@code path} (member names, and decimal indexes into arrays), read
   * through the declared types exactly as it is encoded for the digest: {@link BigInteger} for
   * integers, {@link EthAddress}, {@link Boolean}, {@link String} for strings, {@code byte[]} for
   * bytes. Empty when the path names no declared scalar (an undeclared member is not signed).
   */
  public Optional<Scalar> scalar(final List<String> path) {
    String type = primaryType;
    JsonNode node = message;
    for (final String segment : path) {
      final Optional<String> next = memberType(type, segment);
      if (next.isEmpty()) {
        return Optional.empty();
      }
      node = type.endsWith("]") ? node.path(Integer.parseInt(segment)) : node.path(segment);
      type = next.get();
    }
    if (type.endsWith("]") || types.containsKey(type) || node.isMissingNode() || node.isNull()) {
      return Optional.empty();
    }
    final String leafType = type;
    final JsonNode leaf = node;
    final Object value = switch (leafType) {
      case "string" -> Fields.wellFormedText(leaf, "value");
      case "bytes" -> Fields.hexBytes(leaf, "value");
      case "bool" -> leaf.booleanValue();
      case "address" -> Fields.address(leaf, "value");
      default -> fixedBytesLength(leafType).<Object>map(n -> Fields.hexBytes(leaf, "value", n))
          .orElseGet(() -> Fields.integer(leaf, "value").orElseThrow());
    };
    return Optional.of(new Scalar(leafType, value));
  }

  /** One scalar of a message, typed as the digest encodes it. */
  public record Scalar(String type, Object value) {}

  /** The type of {@code segment} within {@code type}: a member of a struct, or an index into an array. */
  private Optional<String> memberType(final String type, final String segment) {
    if (type.endsWith("]")) {
      final int open = type.lastIndexOf('[');
      if (segment.isEmpty() || segment.length() > 4 || !segment.chars().allMatch(c -> c >= '0' && c <= '9')) {
        return Optional.empty();
      }
      final String length = type.substring(open + 1, type.length() - 1);
      final int index = Integer.parseInt(segment);
      final int size = length.isEmpty() ? Integer.MAX_VALUE : Integer.parseInt(length);
      return index < size ? Optional.of(type.substring(0, open)) : Optional.empty();
    }
    return Optional.ofNullable(types.get(type))
        .flatMap(members -> members.stream().filter(m -> m.name().equals(segment)).findFirst())
        .map(Member::type);
  }

  /** A domain value, only if EIP712Domain declares it (with a fitting type): undeclared keys are not signed. */
  private Optional<JsonNode> domainMember(final String name, final java.util.function.Predicate<String> type) {
    final boolean declared = types.get(DOMAIN_TYPE).stream()
        .anyMatch(m -> m.name().equals(name) && type.test(m.type()));
    return declared ? Fields.optional(domain, name) : Optional.empty();
  }

  private void requireStruct(final String type) {
    if (!types.containsKey(type)) {
      throw new IllegalArgumentException("unknown struct type");
    }
  }

  // ---- Parsing types ------------------------------------------------------------------------

  private static String primaryType(final JsonNode object, final String path) {
    final Optional<JsonNode> snake = Fields.optional(object, "primary_type");
    final Optional<JsonNode> camel = Fields.optional(object, "primaryType");
    if (snake.isPresent() && camel.isPresent()) {
      throw Fields.invalid(path + ".primary_type", "is given twice (as primary_type and primaryType)");
    }
    final String field = snake.isPresent() ? ".primary_type" : ".primaryType";
    return Fields.text(snake.or(() -> camel).orElseThrow(
        () -> Fields.invalid(path + ".primary_type", "is required")), path + field);
  }

  private static Map<String, List<Member>> parseTypes(final JsonNode node, final ObjectNode domain, final String path) {
    final JsonNode object = Fields.object(node, path + ".types");
    if (object.size() > Fields.MAX_ARRAY_ITEMS) {
      throw Fields.invalid(path + ".types", "has too many types (at most " + Fields.MAX_ARRAY_ITEMS + ")");
    }
    final Map<String, List<Member>> types = new LinkedHashMap<>();
    for (final Map.Entry<String, JsonNode> entry : object.properties()) {
      final String typePath = path + ".types." + entry.getKey();
      if (!IDENTIFIER.matcher(entry.getKey()).matches() || isAtomic(entry.getKey())) {
        throw Fields.invalid(typePath, "is not a valid struct type name");
      }
      types.put(entry.getKey(), parseMembers(entry.getValue(), typePath));
    }
    if (!types.containsKey(DOMAIN_TYPE)) {
      types.put(DOMAIN_TYPE, deriveDomainType(domain, path));
    }
    for (final Map.Entry<String, List<Member>> entry : types.entrySet()) {
      for (int i = 0; i < entry.getValue().size(); i++) {
        checkMemberType(entry.getValue().get(i).type(), types, path + ".types." + entry.getKey() + "[" + i + "].type");
      }
    }
    return Collections.unmodifiableMap(types);
  }

  private static List<Member> parseMembers(final JsonNode node, final String path) {
    if (!node.isArray()) {
      throw Fields.invalid(path, "must be an array of {name, type}");
    }
    if (node.size() > Fields.MAX_ARRAY_ITEMS) {
      throw Fields.invalid(path, "has too many members (at most " + Fields.MAX_ARRAY_ITEMS + ")");
    }
    final List<Member> members = new ArrayList<>(node.size());
    final Set<String> names = new HashSet<>();
    for (int i = 0; i < node.size(); i++) {
      final String memberPath = path + "[" + i + "]";
      final JsonNode member = Fields.object(node.get(i), memberPath);
      Fields.allowOnly(member, memberPath, Set.of("name", "type"));
      final String name = Fields.text(Fields.required(member, "name", memberPath + ".name"), memberPath + ".name");
      final String type = Fields.text(Fields.required(member, "type", memberPath + ".type"), memberPath + ".type");
      if (!IDENTIFIER.matcher(name).matches()) {
        throw Fields.invalid(memberPath + ".name", "is not a valid member name");
      }
      if (!names.add(name)) {
        throw Fields.invalid(memberPath + ".name", "repeats a member name");
      }
      members.add(new Member(name, type));
    }
    return Collections.unmodifiableList(members);
  }

  private static List<Member> deriveDomainType(final ObjectNode domain, final String path) {
    final Iterator<String> names = domain.fieldNames();
    while (names.hasNext()) {
      final String name = names.next();
      if (!DOMAIN_FIELDS.containsKey(name)) {
        throw Fields.invalid(path + ".domain." + name,
            "is not an EIP-712 domain field (name, version, chainId, verifyingContract, salt); "
                + "declare types.EIP712Domain to use it");
      }
    }
    final List<Member> members = new ArrayList<>();
    DOMAIN_FIELDS.forEach((name, type) -> {
      if (Fields.optional(domain, name).isPresent()) {
        members.add(new Member(name, type));
      }
    });
    return Collections.unmodifiableList(members);
  }

  private static void checkMemberType(final String type, final Map<String, List<Member>> types, final String path) {
    // Length first: a regex over a huge string of "[]" would recurse deeply.
    final Matcher matcher = TYPE.matcher(type);
    if (type.length() > 512 || !matcher.matches()) {
      throw Fields.invalid(path, "is not a valid EIP-712 type");
    }
    final String base = matcher.group(1);
    if (!types.containsKey(base) && !isAtomic(base)) {
      throw Fields.invalid(path, "refers to an unknown type");
    }
    final String dimensions = matcher.group(2);
    if (dimensions.chars().filter(c -> c == '[').count() > 8) {
      throw Fields.invalid(path, "has too many array dimensions");
    }
    for (final String length : dimensions.replace("]", "").split("\\[")) {
      if (!length.isEmpty() && (length.length() > 4 || Integer.parseInt(length) > Fields.MAX_ARRAY_ITEMS)) {
        throw Fields.invalid(path, "has an array length above " + Fields.MAX_ARRAY_ITEMS);
      }
    }
  }

  private static boolean isAtomic(final String type) {
    return switch (type) {
      case "address", "bool", "string", "bytes" -> true;
      default -> integerBits(type).isPresent() || fixedBytesLength(type).isPresent();
    };
  }

  /** Bits of {@code uintN}/{@code intN} (bare {@code uint}/{@code int} mean 256, as in Solidity and ethers). */
  private static Optional<Integer> integerBits(final String type) {
    final Matcher matcher = INTEGER.matcher(type);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    final String digits = matcher.group(2);
    if (digits.length() > 3) {
      return Optional.empty();
    }
    final int bits = digits.isEmpty() ? 256 : Integer.parseInt(digits);
    return bits >= 8 && bits <= 256 && bits % 8 == 0 && !digits.startsWith("0") ? Optional.of(bits) : Optional.empty();
  }

  private static Optional<Integer> fixedBytesLength(final String type) {
    final Matcher matcher = FIXED_BYTES.matcher(type);
    if (!matcher.matches() || matcher.group(1).length() > 2 || matcher.group(1).startsWith("0")) {
      return Optional.empty();
    }
    final int length = Integer.parseInt(matcher.group(1));
    return length >= 1 && length <= 32 ? Optional.of(length) : Optional.empty();
  }

  // ---- Type encoding ------------------------------------------------------------------------

  private byte[] typeHash(final String type) {
    return typeHashes.computeIfAbsent(type,
        t -> Keccak.keccak256(encodeType(t).getBytes(StandardCharsets.UTF_8)));
  }

  private void appendType(final StringBuilder out, final String type) {
    out.append(type).append('(');
    final List<Member> members = types.get(type);
    for (int i = 0; i < members.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      out.append(members.get(i).type()).append(' ').append(members.get(i).name());
    }
    out.append(')');
  }

  /** Struct types reachable from {@code type}, excluding itself, sorted by name (EIP-712). */
  private Set<String> dependencies(final String type) {
    final Set<String> found = new TreeSet<>();
    final Deque<String> pending = new ArrayDeque<>();
    pending.push(type);
    while (!pending.isEmpty()) {
      for (final Member member : types.get(pending.pop())) {
        final String base = baseType(member.type());
        if (types.containsKey(base) && !base.equals(type) && found.add(base)) {
          pending.push(base);
        }
      }
    }
    return found;
  }

  private static String baseType(final String type) {
    final int bracket = type.indexOf('[');
    return bracket < 0 ? type : type.substring(0, bracket);
  }

  // ---- Value encoding -----------------------------------------------------------------------

  private byte[] hashStruct(final String type, final JsonNode value, final String path, final Budget budget) {
    return Keccak.keccak256(encodeData(type, value, Path.root(path), 0, budget));
  }

  private byte[] encodeData(final String type, final JsonNode value, final String path, final int depth, final Budget budget) {
    return encodeData(type, value, Path.root(path), depth, budget);
  }

  private byte[] encodeData(final String type, final JsonNode value, final Path path, final int depth, final Budget budget) {
    if (!value.isObject()) {
      throw Fields.invalid(path.toString(), "must be an object");
    }
    final List<Member> members = types.get(type);
    final ByteArrayOutputStream out = new ByteArrayOutputStream(32 * (members.size() + 1));
    out.writeBytes(typeHash(type));
    for (final Member member : members) {
      final Path memberPath = path.member(member.name());
      final JsonNode memberValue = value.get(member.name());
      if (memberValue == null || memberValue.isNull()) {
        throw Fields.invalid(memberPath.toString(), "is required");
      }
      out.writeBytes(encodeValue(member.type(), memberValue, memberPath, depth, budget));
    }
    return out.toByteArray();
  }

  /** The 32-byte encoding of one value (hashed for dynamic types, structs and arrays). */
  private byte[] encodeValue(final String type, final JsonNode value, final Path path, final int depth, final Budget budget) {
    budget.spend(path);
    if (type.endsWith("]")) {
      return encodeArray(type, value, path, depth + 1, budget);
    }
    if (types.containsKey(type)) {
      if (depth + 1 > MAX_DEPTH) {
        throw Fields.invalid(path.toString(), "is nested too deeply (at most " + MAX_DEPTH + " levels)");
      }
      return Keccak.keccak256(encodeData(type, value, path, depth + 1, budget));
    }
    return at(path, p -> encodeAtomic(type, value, p));
  }

  private byte[] encodeArray(final String type, final JsonNode value, final Path path, final int depth, final Budget budget) {
    if (depth > MAX_DEPTH) {
      throw Fields.invalid(path.toString(), "is nested too deeply (at most " + MAX_DEPTH + " levels)");
    }
    if (!value.isArray()) {
      throw Fields.invalid(path.toString(), "must be an array");
    }
    if (value.size() > Fields.MAX_ARRAY_ITEMS) {
      throw Fields.invalid(path.toString(), "has too many items (at most " + Fields.MAX_ARRAY_ITEMS + ")");
    }
    final int open = type.lastIndexOf('[');
    final String length = type.substring(open + 1, type.length() - 1);
    if (!length.isEmpty() && Integer.parseInt(length) != value.size()) {
      throw Fields.invalid(path.toString(), "must have exactly " + length + " items");
    }
    final String elementType = type.substring(0, open);
    final ByteArrayOutputStream out = new ByteArrayOutputStream(32 * value.size());
    for (int i = 0; i < value.size(); i++) {
      out.writeBytes(encodeValue(elementType, value.get(i), path.index(i), depth, budget));
    }
    return Keccak.keccak256(out.toByteArray());
  }

  /**
   * Runs a {@link Fields} reader with a placeholder path and renders the real one only if it
   * fails: encoding many values must not build a path string for each.
   */
  private static <T> T at(final Path path, final Function<String, T> read) {
    try {
      return read.apply(Path.PLACEHOLDER);
    } catch (InvalidRequestException e) {
      if (e.getMessage().startsWith(Path.PLACEHOLDER)) {
        throw new InvalidRequestException(path + e.getMessage().substring(Path.PLACEHOLDER.length()));
      }
      throw e;
    }
  }

  private static byte[] encodeAtomic(final String type, final JsonNode value, final String path) {
    switch (type) {
      case "string":
        return Keccak.keccak256(Fields.wellFormedText(value, path).getBytes(StandardCharsets.UTF_8));
      case "bytes":
        return Keccak.keccak256(Fields.hexBytes(value, path));
      case "bool":
        if (!value.isBoolean()) {
          throw Fields.invalid(path, "must be true or false");
        }
        return word(value.booleanValue() ? BigInteger.ONE : BigInteger.ZERO);
      case "address":
        return leftPad(Fields.address(value, path).toBytes());
      default:
        return encodeSized(type, value, path);
    }
  }

  private static byte[] encodeSized(final String type, final JsonNode value, final String path) {
    final Optional<Integer> length = fixedBytesLength(type);
    if (length.isPresent()) {
      final byte[] out = new byte[32];
      System.arraycopy(Fields.hexBytes(value, path, length.get()), 0, out, 0, length.get());
      return out;
    }
    final Matcher matcher = INTEGER.matcher(type);
    matcher.matches();
    final boolean signed = matcher.group(1).isEmpty();
    final int bits = integerBits(type).orElseThrow();
    final BigInteger number = Fields.integer(value, path).orElseThrow(
        () -> Fields.invalid(path, "must be an integer (number, decimal or 0x hex string)"));
    final BigInteger min = signed ? BigInteger.ONE.shiftLeft(bits - 1).negate() : BigInteger.ZERO;
    final BigInteger max = signed ? BigInteger.ONE.shiftLeft(bits - 1).subtract(BigInteger.ONE)
        : BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE);
    if (number.compareTo(min) < 0 || number.compareTo(max) > 0) {
      throw Fields.invalid(path, "is out of range for " + type);
    }
    return word(number);
  }

  /** A 256-bit two's-complement word. */
  private static byte[] word(final BigInteger value) {
    final BigInteger unsigned = value.signum() < 0 ? BigInteger.ONE.shiftLeft(256).add(value) : value;
    return RecoverableSignature.toBytes32(unsigned);
  }

  private static byte[] leftPad(final byte[] bytes) {
    final byte[] out = new byte[32];
    System.arraycopy(bytes, 0, out, 32 - bytes.length, bytes.length);
    return out;
  }

  private static Map<String, String> domainFields() {
    final Map<String, String> fields = new LinkedHashMap<>();
    fields.put("name", "string");
    fields.put("version", "string");
    fields.put("chainId", "uint256");
    fields.put("verifyingContract", "address");
    fields.put("salt", "bytes32");
    return Collections.unmodifiableMap(fields);
  }

  /** Counts values encoded for one hash, so a small body cannot demand unbounded work. */
  private static final class Budget {
    private int remaining = MAX_VALUES;

    void spend(final Path path) {
      if (--remaining < 0) {
        throw new InvalidRequestException(path + " exceeds the limit of " + MAX_VALUES + " typed-data values");
      }
    }
  }

  /** Where a value sits, e.g. {@code params.typed_data.message.items[3].to}; rendered only for errors. */
  private record Path(Path parent, String segment, int index) {
    static final String PLACEHOLDER = "\u0000";

    static Path root(final String path) {
      return new Path(null, path, -1);
    }

    Path member(final String name) {
      return new Path(this, name, -1);
    }

    Path index(final int i) {
      return new Path(this, null, i);
    }

    @Override
    public String toString() {
      final Deque<Path> chain = new ArrayDeque<>();
      for (Path p = this; p != null; p = p.parent) {
        chain.push(p);
      }
      final StringBuilder out = new StringBuilder();
      for (final Path p : chain) {
        if (p.segment == null) {
          out.append('[').append(p.index).append(']');
        } else {
          out.append(out.isEmpty() ? "" : ".").append(p.segment);
        }
      }
      return out.toString();
    }
  }
}
