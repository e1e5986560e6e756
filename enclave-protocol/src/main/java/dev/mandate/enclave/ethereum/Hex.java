package dev.mandate.enclave.ethereum;

import java.math.BigInteger;

/**
 * Hex encoding as Ethereum JSON-RPC uses it: byte strings ("data") and quantities.
 *
 * <p>Byte strings are written lowercase with {@code 0x} and read with or without it; an odd number
 * of digits is refused because it has no unambiguous byte meaning. Quantities always carry
 * {@code 0x} (without it "10" could be decimal) and may have any number of digits.
 *
 * <p>Errors are {@link IllegalArgumentException}s without the input (it may be long or secret);
 * request parsing turns them into messages that name the field.
 */
public final class Hex {
  private static final char[] DIGITS = "0123456789abcdef".toCharArray();
  private static final byte[] VALUES = new byte[128];

  static {
    java.util.Arrays.fill(VALUES, (byte) -1);
    for (int i = 0; i < 10; i++) {
      VALUES['0' + i] = (byte) i;
    }
    for (int i = 0; i < 6; i++) {
      VALUES['a' + i] = (byte) (10 + i);
      VALUES['A' + i] = (byte) (10 + i);
    }
  }

  private Hex() {}

  /** {@code 0x} followed by two lowercase digits per byte. */
  public static String encode(final byte[] bytes) {
    final char[] out = new char[2 + bytes.length * 2];
    out[0] = '0';
    out[1] = 'x';
    writeDigits(bytes, out, 2);
    return new String(out);
  }

  /** Two lowercase digits per byte, no prefix. */
  public static String encodeNoPrefix(final byte[] bytes) {
    final char[] out = new char[bytes.length * 2];
    writeDigits(bytes, out, 0);
    return new String(out);
  }

  /** Decodes a byte string written with or without {@code 0x}; refuses odd lengths and non-hex. */
  public static byte[] decode(final String hex) {
    final int start = hasPrefix(hex) ? 2 : 0;
    final int digits = hex.length() - start;
    if ((digits & 1) != 0) {
      throw new IllegalArgumentException("hex byte string has an odd number of digits");
    }
    final byte[] out = new byte[digits / 2];
    for (int i = 0; i < out.length; i++) {
      final int hi = value(hex.charAt(start + 2 * i));
      final int lo = value(hex.charAt(start + 2 * i + 1));
      out[i] = (byte) ((hi << 4) | lo);
    }
    return out;
  }

  /** Decodes a {@code 0x}-prefixed quantity with at least one digit; leading zeros are allowed. */
  public static BigInteger decodeQuantity(final String hex) {
    if (!hasPrefix(hex) || hex.length() == 2) {
      throw new IllegalArgumentException("hex quantity must be 0x followed by at least one digit");
    }
    for (int i = 2; i < hex.length(); i++) {
      value(hex.charAt(i));
    }
    return new BigInteger(hex.substring(2), 16);
  }

  /** The shortest {@code 0x} form of a non-negative number, as JSON-RPC writes quantities. */
  public static String encodeQuantity(final BigInteger value) {
    if (value.signum() < 0) {
      throw new IllegalArgumentException("quantity must not be negative");
    }
    return "0x" + value.toString(16);
  }

  static boolean hasPrefix(final String hex) {
    return hex.length() >= 2 && hex.charAt(0) == '0' && (hex.charAt(1) == 'x' || hex.charAt(1) == 'X');
  }

  /** True when every character after an optional {@code 0x} is a hex digit. */
  static boolean isHexDigits(final String text, final int from) {
    for (int i = from; i < text.length(); i++) {
      final char c = text.charAt(i);
      if (c >= 128 || VALUES[c] < 0) {
        return false;
      }
    }
    return true;
  }

  private static int value(final char c) {
    final int v = c < 128 ? VALUES[c] : -1;
    if (v < 0) {
      throw new IllegalArgumentException("invalid hex digit");
    }
    return v;
  }

  private static void writeDigits(final byte[] bytes, final char[] out, final int offset) {
    for (int i = 0; i < bytes.length; i++) {
      out[offset + 2 * i] = DIGITS[(bytes[i] >> 4) & 0xf];
      out[offset + 2 * i + 1] = DIGITS[bytes[i] & 0xf];
    }
  }
}
