package dev.mandate.enclave.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.Optional;

/** Integer, address and hex parsing shared by the parser, the engine and the ABI decoder. */
final class Numbers {
  /** Privy's cap on any hex string ("0x" + 300000 digits); nothing longer is even scanned. */
  static final int MAX_TEXT = 300_002;
  /**
   * Significant digits we parse. 2^256 has 78 decimal / 64 hex digits; a little slack lets
   * comparisons see "too big" as big rather than as "not a number", while bounding BigInteger
   * parsing cost (quadratic in the digit count).
   */
  private static final int MAX_DIGITS = 100;
  private static final BigInteger MAX_EXACT_DOUBLE = BigInteger.ONE.shiftLeft(53);

  private Numbers() {}

  /** A decimal or {@code 0x} hex integer, optionally negative; leading zeros are free. */
  static Optional<BigInteger> parse(final String raw) {
    if (raw == null || raw.isEmpty() || raw.length() > MAX_TEXT) {
      return Optional.empty();
    }
    final boolean negative = raw.charAt(0) == '-';
    String digits = negative ? raw.substring(1) : raw;
    final int radix = hasHexPrefix(digits) ? 16 : 10;
    if (radix == 16) {
      digits = digits.substring(2);
    }
    if (digits.isEmpty() || !allDigits(digits, radix)) {
      return Optional.empty();
    }
    final String significant = stripLeadingZeros(digits);
    if (significant.length() > MAX_DIGITS) {
      return Optional.empty();
    }
    final BigInteger value = significant.isEmpty() ? BigInteger.ZERO : new BigInteger(significant, radix);
    return Optional.of(negative ? value.negate() : value);
  }

  /**
   * An integer as JSON carries it: a JSON integer, a float with no fraction (JavaScript clients
   * send those) up to 2^53, or a decimal / hex string.
   */
  static Optional<BigInteger> of(final JsonNode node) {
    if (node == null) {
      return Optional.empty();
    }
    if (node.isIntegralNumber()) {
      return Optional.of(node.bigIntegerValue());
    }
    if (node.isFloatingPointNumber()) {
      final double d = node.doubleValue();
      if (!Double.isFinite(d) || d != Math.rint(d)) {
        return Optional.empty();
      }
      final BigInteger value = new BigDecimal(d).toBigIntegerExact();
      return value.abs().compareTo(MAX_EXACT_DOUBLE) <= 0 ? Optional.of(value) : Optional.empty();
    }
    return node.isTextual() ? parse(node.textValue()) : Optional.empty();
  }

  /** {@code 0x} followed by exactly 40 hex digits, in any case (checksums are not our concern). */
  static boolean isAddress(final String text) {
    return text != null && text.length() == 42 && hasHexPrefix(text) && allDigits(text.substring(2), 16);
  }

  /** {@code 0x} followed by an even number of hex digits (possibly none). */
  static boolean isHexBytes(final String text) {
    return text != null && text.length() <= MAX_TEXT && hasHexPrefix(text) && text.length() % 2 == 0
        && allDigits(text.substring(2), 16);
  }

  /** Bytes of a hex string with or without {@code 0x}; empty when it is not one. */
  static Optional<byte[]> hexBytes(final String text) {
    if (text == null || text.length() > MAX_TEXT) {
      return Optional.empty();
    }
    final String digits = hasHexPrefix(text) ? text.substring(2) : text;
    if (digits.length() % 2 != 0 || !allDigits(digits, 16)) {
      return Optional.empty();
    }
    return Optional.of(HexFormat.of().parseHex(digits));
  }

  static String hex(final byte[] bytes, final int from, final int to) {
    return "0x" + HexFormat.of().formatHex(bytes, from, to);
  }

  static boolean hasHexPrefix(final String text) {
    return text.length() >= 2 && text.charAt(0) == '0' && (text.charAt(1) == 'x' || text.charAt(1) == 'X');
  }

  // Character.digit would accept non-ASCII digits; Ethereum tooling does not.
  private static boolean allDigits(final String text, final int radix) {
    for (int i = 0; i < text.length(); i++) {
      final char c = text.charAt(i);
      final boolean ok = (c >= '0' && c <= '9')
          || (radix == 16 && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static String stripLeadingZeros(final String digits) {
    int i = 0;
    while (i < digits.length() && digits.charAt(i) == '0') {
      i++;
    }
    return digits.substring(i);
  }
}
