package dev.mandate.enclave.authorization;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mandate.enclave.InvalidRequestException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.erdtman.jcs.JsonCanonicalizer;
import org.erdtman.jcs.NumberToJSON;

/**
 * RFC 8785 JSON Canonicalization Scheme, the form Privy clients sign (npm {@code canonicalize}, Go
 * {@code cyberphone/json-canonicalization}). Backed by cyberphone's reference implementation
 * (erdtman's Java port) so number formatting is ES6-exact rather than Java's.
 */
public final class Jcs {
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private Jcs() {}

  /**
   * Canonical UTF-8 bytes of a JSON text. Duplicate property names are refused (two readers could
   * otherwise disagree on which one was signed).
   *
   * @throws InvalidRequestException if {@code json} is not a JSON object or array
   */
  public static byte[] canonicalize(final String json) {
    try {
      return new JsonCanonicalizer(json).getEncodedUTF8();
    } catch (IOException | RuntimeException e) {
      // The parser reports some malformed input as unchecked exceptions (index out of range).
      throw new InvalidRequestException("not canonicalizable JSON: " + describe(e));
    }
  }

  /**
   * Canonical UTF-8 bytes of a Jackson tree (an object or array at the top), written straight from
   * the tree: the same bytes as {@link #canonicalize(String)} of its text (JcsTest checks both on the
   * cyberphone cases and on random trees), without writing the text and parsing it again. Keys sort
   * by UTF-16 code units, strings escape as the reference does, numbers go through the reference's
   * ES6 formatter from their correctly rounded double.
   */
  public static byte[] canonicalize(final JsonNode json) {
    if (!json.isContainerNode()) {
      throw new InvalidRequestException("not canonicalizable JSON: not an object or array");
    }
    final StringBuilder out = new StringBuilder(256);
    write(json, out);
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void write(final JsonNode node, final StringBuilder out) {
    switch (node.getNodeType()) {
      case OBJECT -> writeObject(node, out);
      case ARRAY -> writeArray(node, out);
      case STRING, BINARY -> writeString(node.asText(), out);
      // A float node is written as its shortest float text and read back as a double, as before.
      case NUMBER -> out.append(number(node.isFloat() ? Double.parseDouble(node.asText()) : node.doubleValue()));
      case BOOLEAN -> out.append(node.booleanValue());
      case NULL -> out.append("null");
      default -> throw new InvalidRequestException("not canonicalizable JSON: " + node.getNodeType());
    }
  }

  private static void writeObject(final JsonNode node, final StringBuilder out) {
    final List<String> names = new ArrayList<>(node.size());
    node.fieldNames().forEachRemaining(names::add);
    names.sort(null); // String order is UTF-16 code unit order, as RFC 8785 sorts
    out.append('{');
    for (int i = 0; i < names.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      writeString(names.get(i), out);
      out.append(':');
      write(node.get(names.get(i)), out);
    }
    out.append('}');
  }

  private static void writeArray(final JsonNode node, final StringBuilder out) {
    out.append('[');
    for (int i = 0; i < node.size(); i++) {
      if (i > 0) {
        out.append(',');
      }
      write(node.get(i), out);
    }
    out.append(']');
  }

  private static void writeString(final String text, final StringBuilder out) {
    out.append('"');
    for (int i = 0; i < text.length(); i++) {
      final char c = text.charAt(i);
      switch (c) {
        case '\n' -> out.append("\\n");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '"', '\\' -> out.append('\\').append(c);
        default -> {
          if (c < 0x20) {
            out.append("\\u00").append(HEX[c >> 4]).append(HEX[c & 0xf]);
          } else {
            out.append(c);
          }
        }
      }
    }
    out.append('"');
  }

  private static String number(final double value) {
    try {
      return NumberToJSON.serializeNumber(value);
    } catch (IOException e) {
      throw new InvalidRequestException("not canonicalizable JSON: " + e.getMessage());
    }
  }

  private static String describe(final Exception e) {
    return e instanceof IOException && e.getMessage() != null ? e.getMessage() : "malformed";
  }
}
