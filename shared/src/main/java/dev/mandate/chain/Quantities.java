package dev.mandate.chain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mandate.enclave.ethereum.Hex;
import java.math.BigInteger;

/** Ethereum quantities in JSON: {@code 0x} hex strings, JSON integers or decimal strings. */
public final class Quantities {
  private static final int MAX_DIGITS = 80;

  private Quantities() {}

  /**
   * Reads a non-negative integer.
   *
   * @throws InvalidTransactionException naming {@code path} (never echoing the value)
   */
  public static BigInteger read(final JsonNode node, final String path) {
    if (node.isIntegralNumber() && node.bigIntegerValue().signum() >= 0) {
      return node.bigIntegerValue();
    }
    if (node.isTextual() && node.textValue().length() <= MAX_DIGITS) {
      final String text = node.textValue();
      try {
        if (text.startsWith("0x") || text.startsWith("0X")) {
          return Hex.decodeQuantity(text);
        }
        if (!text.isEmpty() && text.chars().allMatch(c -> c >= '0' && c <= '9')) {
          return new BigInteger(text);
        }
      } catch (IllegalArgumentException e) {
        // Fall through to the field-naming error.
      }
    }
    throw new InvalidTransactionException(path + " must be a hex string or a non-negative integer");
  }

  /** Reads a quantity the node returned ({@code 0x...}). */
  static BigInteger fromNode(final JsonNode node, final String what) {
    if (node == null || !node.isTextual()) {
      throw new ChainUnavailableException("node returned no " + what);
    }
    try {
      return Hex.decodeQuantity(node.textValue());
    } catch (IllegalArgumentException e) {
      throw new ChainUnavailableException("node returned a malformed " + what);
    }
  }

  static String hex(final BigInteger value) {
    return Hex.encodeQuantity(value);
  }
}
