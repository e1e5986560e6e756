package dev.mandate.enclave.ethereum;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.enclave.InvalidRequestException;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads request JSON into typed values, failing with an {@link InvalidRequestException} whose
 * message names the field by its path (e.g. {@code params.transaction.gas_limit}). Messages never
 * echo the value: it could be long, and the caller already has it.
 */
final class Fields {
  /** Privy's cap on hex strings ("0x" + 300000 digits); applied to every string we read. */
  static final int MAX_STRING_CHARS = 300_002;
  /** Upper bound on any JSON array we walk (access lists, typed-data arrays, type fields). */
  static final int MAX_ARRAY_ITEMS = 1000;

  private static final BigInteger MAX_DOUBLE_INTEGER = BigInteger.ONE.shiftLeft(53);

  private Fields() {}

  static InvalidRequestException invalid(final String path, final String problem) {
    return new InvalidRequestException(path + " " + problem);
  }

  /** The member, or empty when absent or JSON null (clients write null for "not set"). */
  static Optional<JsonNode> optional(final JsonNode object, final String name) {
    final JsonNode node = object.get(name);
    return node == null || node.isNull() ? Optional.empty() : Optional.of(node);
  }

  static JsonNode required(final JsonNode object, final String name, final String path) {
    return optional(object, name).orElseThrow(() -> invalid(path, "is required"));
  }

  static ObjectNode object(final JsonNode node, final String path) {
    if (!(node instanceof ObjectNode object)) {
      throw invalid(path, "must be an object");
    }
    return object;
  }

  /** Refuses members outside {@code allowed}: a field we would ignore is a field we'd sign wrongly. */
  static void allowOnly(final JsonNode object, final String path, final Set<String> allowed) {
    final Iterator<String> names = object.fieldNames();
    while (names.hasNext()) {
      final String name = names.next();
      if (!allowed.contains(name)) {
        throw invalid(path + "." + name, "is not a supported field");
      }
    }
  }

  /**
   * Reads a member that may be spelled two ways (snake_case as Privy documents it, camelCase as
   * viem/ethers objects arrive); both at once is ambiguous and refused.
   */
  static Optional<Map.Entry<String, JsonNode>> either(
      final JsonNode object, final String path, final String snake, final String camel) {
    final Optional<JsonNode> a = optional(object, snake);
    final Optional<JsonNode> b = optional(object, camel);
    if (a.isPresent() && b.isPresent()) {
      throw invalid(path + "." + snake, "is given twice (as " + snake + " and " + camel + ")");
    }
    if (a.isPresent()) {
      return Optional.of(Map.entry(path + "." + snake, a.get()));
    }
    return b.map(node -> Map.entry(path + "." + camel, node));
  }

  static String text(final JsonNode node, final String path) {
    if (!node.isTextual()) {
      throw invalid(path, "must be a string");
    }
    final String text = node.textValue();
    if (text.length() > MAX_STRING_CHARS) {
      throw invalid(path, "is too long (at most " + MAX_STRING_CHARS + " characters)");
    }
    return text;
  }

  /** A string that is valid UTF-16 (no lone surrogates), so its UTF-8 bytes are unambiguous. */
  static String wellFormedText(final JsonNode node, final String path) {
    final String text = text(node, path);
    for (int i = 0; i < text.length(); i++) {
      final char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw invalid(path, "contains an unpaired UTF-16 surrogate");
      }
    }
    return text;
  }

  /** Hex bytes, with or without {@code 0x}. */
  static byte[] hexBytes(final JsonNode node, final String path) {
    final String text = text(node, path);
    try {
      return Hex.decode(text);
    } catch (IllegalArgumentException e) {
      throw invalid(path, "must be a hex string with an even number of digits");
    }
  }

  /** Hex bytes of an exact length. */
  static byte[] hexBytes(final JsonNode node, final String path, final int length) {
    final byte[] bytes = hexBytes(node, path);
    if (bytes.length != length) {
      throw invalid(path, "must be " + length + " bytes of hex");
    }
    return bytes;
  }

  static EthAddress address(final JsonNode node, final String path) {
    final String text = text(node, path);
    try {
      return EthAddress.parse(text);
    } catch (IllegalArgumentException e) {
      throw invalid(path, "must be an address (0x + 40 hex digits" + (text.length() == 42 ? ", valid EIP-55 checksum)" : ")"));
    }
  }

  /**
   * A Privy {@code Quantity}: a {@code 0x} hex string, a non-negative JSON integer, or (tolerated)
   * a decimal string; at most {@code maxBits} bits. JSON numbers with a fraction, or beyond 2^53
   * when written as floating point (JavaScript would already have rounded them), are refused.
   */
  static BigInteger quantity(final JsonNode node, final String path, final int maxBits) {
    final BigInteger value = integer(node, path)
        .filter(v -> v.signum() >= 0)
        .orElseThrow(() -> invalid(path, "must be a hex string or a non-negative integer"));
    if (value.bitLength() > maxBits) {
      throw invalid(path, "is too large (at most " + maxBits + " bits)");
    }
    return value;
  }

  /**
   * Any integer as typed data allows it: JSON integer, decimal string, hex string, each possibly
   * negative. Empty when the node is none of these.
   */
  static Optional<BigInteger> integer(final JsonNode node, final String path) {
    if (node.isIntegralNumber()) {
      return Optional.of(node.bigIntegerValue());
    }
    if (node.isFloatingPointNumber()) {
      return integralDouble(node);
    }
    if (!node.isTextual()) {
      return Optional.empty();
    }
    return parseIntegerText(text(node, path), path);
  }

  private static Optional<BigInteger> integralDouble(final JsonNode node) {
    final double d = node.doubleValue();
    if (!Double.isFinite(d) || d != Math.rint(d)) {
      return Optional.empty();
    }
    final BigInteger value = new java.math.BigDecimal(d).toBigIntegerExact();
    return value.abs().compareTo(MAX_DOUBLE_INTEGER) <= 0 ? Optional.of(value) : Optional.empty();
  }

  private static Optional<BigInteger> parseIntegerText(final String raw, final String path) {
    final boolean negative = raw.startsWith("-");
    final String text = negative ? raw.substring(1) : raw;
    final BigInteger magnitude;
    if (Hex.hasPrefix(text)) {
      if (!Hex.isHexDigits(text, 2)) {
        return Optional.empty();
      }
      // A bare "0x" is zero: ethers v5 writes zero that way, and it is how RLP encodes zero.
      magnitude = text.length() == 2 ? BigInteger.ZERO : new BigInteger(bounded(text, 2, path), 16);
    } else {
      if (text.isEmpty()) {
        return Optional.empty();
      }
      for (int i = 0; i < text.length(); i++) {
        if (text.charAt(i) < '0' || text.charAt(i) > '9') {
          return Optional.empty();
        }
      }
      magnitude = new BigInteger(bounded(text, 0, path));
    }
    return Optional.of(negative ? magnitude.negate() : magnitude);
  }

  /**
   * The digits without leading zeros, refused beyond 80 of them: every value we accept fits in
   * 256 bits (64 hex or 78 decimal digits), and parsing a huge BigInteger is quadratic.
   */
  private static String bounded(final String digits, final int from, final String path) {
    int i = from;
    while (i < digits.length() - 1 && digits.charAt(i) == '0') {
      i++;
    }
    if (digits.length() - i > 80) {
      throw invalid(path, "is too large");
    }
    return digits.substring(i);
  }
}
