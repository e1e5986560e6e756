package dev.mandate.enclave.policy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/** Builds ABI-encoded calldata word by word, so tests show the layout they exercise. */
final class Calldata {
  private final StringBuilder hex = new StringBuilder();

  private Calldata(final String selector) {
    hex.append(selector.substring(2));
  }

  static Calldata call(final String selector) {
    return new Calldata(selector);
  }

  Calldata uint(final long value) {
    return uint(BigInteger.valueOf(value));
  }

  Calldata uint(final BigInteger value) {
    final String digits = value.toString(16);
    hex.append("0".repeat(64 - digits.length())).append(digits);
    return this;
  }

  /** Two's complement of a negative value, as int256 encodes it. */
  Calldata signed(final long value) {
    return uint(BigInteger.valueOf(value).add(BigInteger.ONE.shiftLeft(256)).mod(BigInteger.ONE.shiftLeft(256)));
  }

  Calldata address(final String address) {
    hex.append("0".repeat(24)).append(address.substring(2));
    return this;
  }

  /** A raw 32-byte word given as 64 hex digits. */
  Calldata word(final String digits) {
    hex.append(digits);
    return this;
  }

  /** Length word, then the bytes right-padded to a multiple of 32. */
  Calldata bytes(final byte[] bytes) {
    uint(bytes.length);
    final String digits = HexFormat.of().formatHex(bytes);
    hex.append(digits).append("0".repeat((64 - digits.length() % 64) % 64));
    return this;
  }

  Calldata string(final String text) {
    return bytes(text.getBytes(StandardCharsets.UTF_8));
  }

  String hex() {
    return "0x" + hex;
  }

  byte[] bytes() {
    return HexFormat.of().parseHex(hex.toString());
  }
}
