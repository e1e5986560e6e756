package dev.mandate.enclave.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.digests.KeccakDigest;

/**
 * Decodes Ethereum calldata against a JSON ABI (the {@code abi} of an {@code ethereum_calldata}
 * condition): finds the function by its 4-byte selector and decodes its inputs. Hand-written so
 * the enclave carries no web3 library; it supports {@code address}, {@code bool}, {@code
 * uintN}/{@code intN}, {@code bytesN}, {@code bytes}, {@code string}, fixed and dynamic arrays and
 * tuples, nested up to {@value #MAX_DEPTH} levels.
 *
 * <p>Words are read the way a contract compiled without ABI-decoder checks reads them (old
 * Solidity, e.g. many deployed ERC-20s): an address is the low 20 bytes, a {@code uintN} the low N
 * bits, a {@code bool} any non-zero word. A strict decoder would call dirty padding "malformed",
 * so a DENY rule would not fire while such a contract still executes the call. Structurally
 * malformed calldata (offsets or lengths outside the data) decodes to nothing; nothing here throws
 * on calldata.
 *
 * <p>Unlike Privy, integers narrower than 64 bits ({@code uint8}, …) compare like any other.
 */
public final class AbiDecoder {
  /** Serialized size cap of one ABI (Privy caps a Solana IDL at 32 KB; we do the same). */
  public static final int MAX_ABI_CHARS = 32_768;
  static final int MAX_DEPTH = 8;
  private static final int MAX_FIXED_LENGTH = 1024;
  private static final long MAX_STATIC_HEAD = 1 << 20;
  /** Bounds decoding work: offsets can alias, so nested arrays could otherwise blow up. */
  private static final int MAX_VALUES = 100_000;
  private static final Pattern TYPE = Pattern.compile("([a-z]+)([0-9]*)((?:\\[[0-9]*\\])*)");
  private static final Pattern DIMENSION = Pattern.compile("\\[([0-9]*)\\]");
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*");

  private final JsonNode json;
  private final List<Function> functions;

  private AbiDecoder(final JsonNode json, final List<Function> functions) {
    this.json = json.deepCopy();
    this.functions = List.copyOf(functions);
  }

  /**
   * Reads a JSON ABI array; items other than functions (events, errors, constructors) are
   * ignored.
   *
   * @throws IllegalArgumentException naming the problem, when it is not an ABI we can decode
   */
  public static AbiDecoder parse(final JsonNode abi) {
    if (abi == null || !abi.isArray()) {
      throw new IllegalArgumentException("ABI must be a JSON array of ABI items");
    }
    if (abi.toString().length() > MAX_ABI_CHARS) {
      throw new IllegalArgumentException("ABI is too large (at most " + MAX_ABI_CHARS + " characters)");
    }
    final List<Function> functions = new ArrayList<>();
    final Set<String> selectors = new HashSet<>();
    for (int i = 0; i < abi.size(); i++) {
      final Optional<Function> function = function(abi.get(i), "[" + i + "]");
      if (function.isPresent() && selectors.add(function.get().selector())) {
        functions.add(function.get());
      }
    }
    if (functions.isEmpty()) {
      throw new IllegalArgumentException("ABI has no function items");
    }
    return new AbiDecoder(abi, functions);
  }

  public JsonNode json() {
    return json.deepCopy();
  }

  /** Equal when parsed from equal JSON (so a policy read back from storage equals the original). */
  @Override
  public boolean equals(final Object other) {
    return other instanceof AbiDecoder that && json.equals(that.json);
  }

  @Override
  public int hashCode() {
    return json.hashCode();
  }

  @Override
  public String toString() {
    return "AbiDecoder" + functions.stream().map(Function::signature).toList();
  }

  public List<Function> functions() {
    return functions;
  }

  /** The function whose selector starts {@code calldata}. */
  public Optional<Function> function(final byte[] calldata) {
    if (calldata.length < 4) {
      return Optional.empty();
    }
    final String selector = Numbers.hex(calldata, 0, 4);
    return functions.stream().filter(f -> f.selector().equals(selector)).findFirst();
  }

  /** The call, decoded; empty when no function matches or the arguments are malformed. */
  public Optional<Call> decode(final byte[] calldata) {
    return function(calldata).flatMap(f -> {
      try {
        return Optional.of(new Call(f, new Reader(calldata).tuple(f.inputs(), 4)));
      } catch (Malformed e) {
        return Optional.empty();
      }
    });
  }

  /**
   * The kind of value {@code <fn>.<path>} names in some overload of {@code fn}; empty when no
   * overload has such a scalar parameter.
   */
  Optional<FieldValue.Kind> leafKind(final String functionName, final List<String> path) {
    return functions.stream()
        .filter(f -> f.name().equals(functionName))
        .map(f -> leafKind(new TupleType(f.inputs()), path))
        .flatMap(Optional::stream)
        .findFirst();
  }

  boolean hasFunction(final String name) {
    return functions.stream().anyMatch(f -> f.name().equals(name));
  }

  private static Optional<FieldValue.Kind> leafKind(final Type root, final List<String> path) {
    Type type = root;
    for (final String segment : path) {
      final Optional<Type> next = switch (type) {
        case TupleType t -> t.component(segment).map(Param::type);
        case ArrayType a -> {
          final int index = FieldPath.index(segment);
          yield index >= 0 && (a.length() < 0 || index < a.length()) ? Optional.of(a.element()) : Optional.empty();
        }
        default -> Optional.empty();
      };
      if (next.isEmpty()) {
        return Optional.empty();
      }
      type = next.get();
    }
    return switch (type) {
      case Scalar s -> Optional.of(s.base().kind);
      case DynamicBytes b -> Optional.of(b.string() ? FieldValue.Kind.TEXT : FieldValue.Kind.BYTES);
      default -> Optional.empty();
    };
  }

  // ---------------------------------------------------------------- ABI parsing

  private static Optional<Function> function(final JsonNode item, final String path) {
    if (!item.isObject()) {
      throw new IllegalArgumentException("ABI item " + path + " must be an object");
    }
    final JsonNode kind = item.get("type");
    // Solidity's ABI spec: a missing type means "function".
    if (kind != null && !"function".equals(kind.asText())) {
      return Optional.empty();
    }
    final JsonNode name = item.get("name");
    if (name == null || !name.isTextual() || !IDENTIFIER.matcher(name.textValue()).matches()) {
      throw new IllegalArgumentException("ABI item " + path + " needs a function name");
    }
    final List<Param> inputs = params(item.get("inputs"), path + ".inputs", 1);
    final String signature = name.textValue() + new TupleType(inputs).canonical();
    return Optional.of(new Function(name.textValue(), signature, selector(signature), inputs));
  }

  private static List<Param> params(final JsonNode node, final String path, final int depth) {
    if (node == null || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw new IllegalArgumentException("ABI " + path + " must be an array");
    }
    final List<Param> params = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      final JsonNode param = node.get(i);
      final String at = path + "[" + i + "]";
      if (!param.isObject() || !param.path("type").isTextual()) {
        throw new IllegalArgumentException("ABI " + at + " needs a type");
      }
      final String name = param.path("name").isTextual() ? param.get("name").textValue() : "";
      params.add(new Param(name, type(param.get("type").textValue(), param.get("components"), at, depth)));
    }
    return List.copyOf(params);
  }

  private static Type type(final String text, final JsonNode components, final String path, final int depth) {
    final Matcher m = TYPE.matcher(text);
    if (!m.matches() || depth > MAX_DEPTH) {
      throw new IllegalArgumentException("ABI " + path + " has an unsupported type: " + Validation.printable(text));
    }
    Type type = base(m.group(1), m.group(2), components, path, depth);
    final Matcher dims = DIMENSION.matcher(m.group(3));
    int nesting = depth;
    while (dims.find()) {
      final int length = dims.group(1).isEmpty() ? -1 : boundedLength(dims.group(1), path);
      type = new ArrayType(type, length);
      if (++nesting > MAX_DEPTH) {
        throw new IllegalArgumentException("ABI " + path + " nests too deeply");
      }
    }
    if (!type.dynamic() && type.staticSize() > MAX_STATIC_HEAD) {
      throw new IllegalArgumentException("ABI " + path + " is too large a static type");
    }
    return type;
  }

  private static Type base(
      final String name, final String bits, final JsonNode components, final String path, final int depth) {
    final int size = bits.isEmpty() ? -1 : bits.length() > 3 ? 0 : Integer.parseInt(bits);
    final Type type = switch (name) {
      case "address" -> bits.isEmpty() ? new Scalar(Base.ADDRESS, 160) : null;
      case "bool" -> bits.isEmpty() ? new Scalar(Base.BOOL, 8) : null;
      case "string" -> bits.isEmpty() ? new DynamicBytes(true) : null;
      case "bytes" -> bits.isEmpty() ? new DynamicBytes(false) : size >= 1 && size <= 32 ? new Scalar(Base.FIXED_BYTES, size) : null;
      case "uint", "int" -> {
        final int width = bits.isEmpty() ? 256 : size;
        yield width >= 8 && width <= 256 && width % 8 == 0 ? new Scalar(name.equals("uint") ? Base.UINT : Base.INT, width) : null;
      }
      case "tuple" -> bits.isEmpty() ? new TupleType(params(components, path + ".components", depth + 1)) : null;
      default -> null;
    };
    if (type == null) {
      throw new IllegalArgumentException("ABI " + path + " has an unsupported type: " + Validation.printable(name + bits));
    }
    return type;
  }

  private static int boundedLength(final String digits, final String path) {
    final int length = digits.length() > 5 ? Integer.MAX_VALUE : Integer.parseInt(digits);
    if (length < 1 || length > MAX_FIXED_LENGTH) {
      throw new IllegalArgumentException("ABI " + path + " has a fixed array length outside 1.." + MAX_FIXED_LENGTH);
    }
    return length;
  }

  private static String selector(final String signature) {
    final KeccakDigest digest = new KeccakDigest(256);
    final byte[] bytes = signature.getBytes(StandardCharsets.US_ASCII);
    digest.update(bytes, 0, bytes.length);
    final byte[] hash = new byte[32];
    digest.doFinal(hash, 0);
    return Numbers.hex(hash, 0, 4);
  }

  // ---------------------------------------------------------------- model

  /**
   * One function of the ABI.
   *
   * @param name its name
   * @param signature canonical, e.g. {@code transfer(address,uint256)}, tuples expanded
   * @param selector {@code 0x} + the first 4 bytes of keccak256(signature), lower case
   * @param inputs its parameters
   */
  public record Function(String name, String signature, String selector, List<Param> inputs) {
    public Function {
      inputs = List.copyOf(inputs);
    }
  }

  /** A parameter or tuple component; the name may be empty. */
  public record Param(String name, Type type) {}

  /** An ABI type. */
  public sealed interface Type permits Scalar, DynamicBytes, ArrayType, TupleType {
    /** As it appears in a canonical signature, e.g. {@code (address,uint256)[]}. */
    String canonical();

    boolean dynamic();

    /** Bytes it takes inline in its parent's head (32 for a dynamic type: its offset). */
    long headSize();

    /** Inline size of a static type. */
    default long staticSize() {
      return headSize();
    }
  }

  public enum Base {
    ADDRESS(FieldValue.Kind.ADDRESS),
    BOOL(FieldValue.Kind.BOOL),
    UINT(FieldValue.Kind.NUMBER),
    INT(FieldValue.Kind.NUMBER),
    FIXED_BYTES(FieldValue.Kind.BYTES);

    final FieldValue.Kind kind;

    Base(final FieldValue.Kind kind) {
      this.kind = kind;
    }
  }

  /** A one-word type; {@code size} is bits for integers, bytes for {@code bytesN}. */
  public record Scalar(Base base, int size) implements Type {
    @Override
    public String canonical() {
      return switch (base) {
        case ADDRESS -> "address";
        case BOOL -> "bool";
        case UINT -> "uint" + size;
        case INT -> "int" + size;
        case FIXED_BYTES -> "bytes" + size;
      };
    }

    @Override
    public boolean dynamic() {
      return false;
    }

    @Override
    public long headSize() {
      return 32;
    }
  }

  /** {@code bytes} or {@code string}. */
  public record DynamicBytes(boolean string) implements Type {
    @Override
    public String canonical() {
      return string ? "string" : "bytes";
    }

    @Override
    public boolean dynamic() {
      return true;
    }

    @Override
    public long headSize() {
      return 32;
    }
  }

  /** {@code T[]} (length -1) or {@code T[k]}. */
  public record ArrayType(Type element, int length) implements Type {
    @Override
    public String canonical() {
      return element.canonical() + "[" + (length < 0 ? "" : Integer.toString(length)) + "]";
    }

    @Override
    public boolean dynamic() {
      return length < 0 || element.dynamic();
    }

    @Override
    public long headSize() {
      return dynamic() ? 32 : length * element.headSize();
    }
  }

  /** A tuple (struct); also a function's input list. */
  public record TupleType(List<Param> components) implements Type {
    public TupleType {
      components = List.copyOf(components);
    }

    @Override
    public String canonical() {
      return "(" + String.join(",", components.stream().map(p -> p.type().canonical()).toList()) + ")";
    }

    @Override
    public boolean dynamic() {
      return components.stream().anyMatch(p -> p.type().dynamic());
    }

    @Override
    public long headSize() {
      return dynamic() ? 32 : components.stream().mapToLong(p -> p.type().headSize()).sum();
    }

    /** By name, or by position for unnamed components. */
    Optional<Param> component(final String segment) {
      final Optional<Param> named = components.stream().filter(p -> p.name().equals(segment)).findFirst();
      final int index = FieldPath.index(segment);
      return named.isPresent() || index < 0 || index >= components.size() ? named : Optional.of(components.get(index));
    }
  }

  /** A decoded value. */
  public sealed interface Value permits Leaf, Items, Tuple {}

  public record Leaf(FieldValue value) implements Value {}

  public record Items(List<Value> items) implements Value {}

  public record Tuple(List<String> names, List<Value> values) implements Value {
    Optional<Value> get(final String segment) {
      final int named = names.indexOf(segment);
      final int index = named >= 0 ? named : FieldPath.index(segment);
      return index >= 0 && index < values.size() ? Optional.of(values.get(index)) : Optional.empty();
    }
  }

  /** A decoded call: the function and its arguments (a tuple of its inputs). */
  public record Call(Function function, Tuple arguments) {
    /** The scalar at {@code path} (parameter name, then tuple member names / array indexes). */
    public Optional<FieldValue> find(final List<String> path) {
      Value value = arguments;
      for (final String segment : path) {
        final Optional<Value> next = switch (value) {
          case Tuple t -> t.get(segment);
          case Items i -> {
            final int index = FieldPath.index(segment);
            yield index >= 0 && index < i.items().size() ? Optional.of(i.items().get(index)) : Optional.empty();
          }
          case Leaf l -> Optional.empty();
        };
        if (next.isEmpty()) {
          return Optional.empty();
        }
        value = next.get();
      }
      return value instanceof Leaf leaf ? Optional.of(leaf.value()) : Optional.empty();
    }
  }

  // ---------------------------------------------------------------- decoding

  private static final class Malformed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Malformed() {
      super(null, null, false, false);
    }
  }

  private static final class Reader {
    private final byte[] data;
    private int budget = MAX_VALUES;

    Reader(final byte[] data) {
      this.data = data;
    }

    /** Components encoded from {@code base}: static ones inline, dynamic ones at base + offset. */
    Tuple tuple(final List<Param> params, final int base) {
      final List<Value> values = new ArrayList<>();
      long head = base;
      for (final Param param : params) {
        values.add(member(param.type(), base, head));
        head += param.type().headSize();
      }
      return new Tuple(params.stream().map(Param::name).toList(), List.copyOf(values));
    }

    private Items items(final Type element, final int count, final int base) {
      final List<Value> values = new ArrayList<>();
      long head = base;
      for (int i = 0; i < count; i++) {
        values.add(member(element, base, head));
        head += element.headSize();
      }
      return new Items(List.copyOf(values));
    }

    private Value member(final Type type, final int base, final long head) {
      if (head > data.length) {
        throw new Malformed();
      }
      return type.dynamic() ? value(type, base + smallInt((int) head)) : value(type, (int) head);
    }

    private Value value(final Type type, final int at) {
      if (--budget < 0) {
        throw new Malformed();
      }
      return switch (type) {
        case Scalar s -> new Leaf(scalar(s, at));
        case DynamicBytes b -> new Leaf(bytes(b, at));
        case ArrayType a when a.length() < 0 -> {
          final int count = smallInt(at);
          // Every element takes at least one head slot, so a count the data cannot hold is a lie.
          if ((long) count * a.element().headSize() > data.length - (at + 32L)) {
            throw new Malformed();
          }
          yield items(a.element(), count, at + 32);
        }
        case ArrayType a -> items(a.element(), a.length(), at);
        case TupleType t -> tuple(t.components(), at);
      };
    }

    private FieldValue scalar(final Scalar s, final int at) {
      check(at, 32);
      return switch (s.base()) {
        case ADDRESS -> new FieldValue(FieldValue.Kind.ADDRESS, Numbers.hex(data, at + 12, at + 32));
        case BOOL -> new FieldValue(FieldValue.Kind.BOOL, Boolean.toString(word(at).signum() != 0));
        case UINT -> FieldValue.number(word(at).mod(BigInteger.ONE.shiftLeft(s.size())));
        case INT -> {
          final BigInteger low = word(at).mod(BigInteger.ONE.shiftLeft(s.size()));
          yield FieldValue.number(low.testBit(s.size() - 1) ? low.subtract(BigInteger.ONE.shiftLeft(s.size())) : low);
        }
        case FIXED_BYTES -> new FieldValue(FieldValue.Kind.BYTES, Numbers.hex(data, at, at + s.size()));
      };
    }

    private FieldValue bytes(final DynamicBytes type, final int at) {
      final int length = smallInt(at);
      check(at + 32L, length);
      return type.string()
          ? new FieldValue(FieldValue.Kind.TEXT, new String(data, at + 32, length, StandardCharsets.UTF_8))
          : new FieldValue(FieldValue.Kind.BYTES, Numbers.hex(data, at + 32, at + 32 + length));
    }

    private BigInteger word(final int at) {
      check(at, 32);
      final byte[] word = new byte[32];
      System.arraycopy(data, at, word, 0, 32);
      return new BigInteger(1, word);
    }

    /** A length or offset: must fit in the data, so it also fits in an int. */
    private int smallInt(final int at) {
      final BigInteger value = word(at);
      if (value.compareTo(BigInteger.valueOf(data.length)) > 0) {
        throw new Malformed();
      }
      return value.intValueExact();
    }

    private void check(final long at, final long length) {
      if (at < 0 || length < 0 || at + length > data.length) {
        throw new Malformed();
      }
    }
  }
}
