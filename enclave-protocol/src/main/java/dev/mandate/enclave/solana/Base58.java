package dev.mandate.enclave.solana;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;

/**
 * Base58 with the Bitcoin alphabet, as Solana writes addresses, blockhashes and signatures. Leading
 * zero bytes are leading {@code 1}s. Decoding is strict: any character outside the alphabet, and any
 * input longer than {@value #MAX_CHARS} characters, is refused.
 */
public final class Base58 {
  private static final String ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
  private static final BigInteger BASE = BigInteger.valueOf(58);
  /** Enough for a 64-byte signature (at most 88 characters), with room; longer input is never ours. */
  static final int MAX_CHARS = 128;
  private static final int[] INDEX = new int[128];

  static {
    Arrays.fill(INDEX, -1);
    for (int i = 0; i < ALPHABET.length(); i++) {
      INDEX[ALPHABET.charAt(i)] = i;
    }
  }

  private Base58() {}

  public static String encode(final byte[] bytes) {
    int zeros = 0;
    while (zeros < bytes.length && bytes[zeros] == 0) {
      zeros++;
    }
    // Repeated division of the big-endian number by 58, digits collected least significant first.
    final byte[] number = java.util.Arrays.copyOfRange(bytes, zeros, bytes.length);
    final char[] digits = new char[number.length * 138 / 100 + 1];
    int out = digits.length;
    int start = 0;
    while (start < number.length) {
      int remainder = 0;
      for (int i = start; i < number.length; i++) {
        final int value = (remainder << 8) | (number[i] & 0xff);
        number[i] = (byte) (value / 58);
        remainder = value % 58;
      }
      digits[--out] = ALPHABET.charAt(remainder);
      while (start < number.length && number[start] == 0) {
        start++;
      }
    }
    return "1".repeat(zeros) + new String(digits, out, digits.length - out);
  }

  /** The bytes, or empty when {@code text} is not base58. */
  public static Optional<byte[]> decode(final String text) {
    if (text == null || text.length() > MAX_CHARS) {
      return Optional.empty();
    }
    BigInteger value = BigInteger.ZERO;
    int zeros = 0;
    boolean leading = true;
    for (int i = 0; i < text.length(); i++) {
      final char c = text.charAt(i);
      final int digit = c < 128 ? INDEX[c] : -1;
      if (digit < 0) {
        return Optional.empty();
      }
      if (leading && digit == 0) {
        zeros++;
      } else {
        leading = false;
      }
      value = value.multiply(BASE).add(BigInteger.valueOf(digit));
    }
    final byte[] magnitude = value.signum() == 0 ? new byte[0] : unsigned(value.toByteArray());
    final byte[] out = new byte[zeros + magnitude.length];
    System.arraycopy(magnitude, 0, out, zeros, magnitude.length);
    return Optional.of(out);
  }

  /** A 32-byte public key (an address) written in base58, or empty. */
  public static Optional<byte[]> decodePublicKey(final String text) {
    return decode(text).filter(b -> b.length == 32);
  }

  private static byte[] unsigned(final byte[] twosComplement) {
    return twosComplement[0] == 0 ? Arrays.copyOfRange(twosComplement, 1, twosComplement.length) : twosComplement;
  }
}
