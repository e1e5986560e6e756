package dev.mandate.enclave.ethereum;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A 20-byte Ethereum account address. Immutable; compares by value. */
public final class EthAddress {
  private final byte[] bytes;

  private EthAddress(final byte[] bytes) {
    this.bytes = bytes;
  }

  /** Copies 20 bytes. */
  public static EthAddress of(final byte[] bytes) {
    if (bytes.length != 20) {
      throw new IllegalArgumentException("an address is 20 bytes");
    }
    return new EthAddress(bytes.clone());
  }

  /**
   * Parses {@code 0x} + 40 hex digits. All-lowercase and all-uppercase digits are accepted as they
   * are; mixed case must be a correct EIP-55 checksum, because a mixed-case address with a wrong
   * checksum is almost always a typo.
   */
  public static EthAddress parse(final String text) {
    if (text.length() != 42 || !Hex.hasPrefix(text) || !Hex.isHexDigits(text, 2)) {
      throw new IllegalArgumentException("an address is 0x followed by 40 hex digits");
    }
    final EthAddress address = new EthAddress(Hex.decode(text));
    final String digits = text.substring(2);
    final boolean mixedCase = !digits.equals(digits.toLowerCase(java.util.Locale.ROOT))
        && !digits.equals(digits.toUpperCase(java.util.Locale.ROOT));
    if (mixedCase && !address.toChecksumHex().substring(2).equals(digits)) {
      throw new IllegalArgumentException("address has an invalid EIP-55 checksum");
    }
    return address;
  }

  /** The address of an uncompressed (65-byte) public key: the last 20 bytes of its Keccak hash. */
  static EthAddress fromUncompressedPublicKey(final byte[] uncompressed) {
    final byte[] hash = Keccak.keccak256(uncompressed, 1, 64);
    return new EthAddress(Arrays.copyOfRange(hash, 12, 32));
  }

  /** A copy of the 20 bytes. */
  public byte[] toBytes() {
    return bytes.clone();
  }

  /** {@code 0x} + 40 lowercase hex digits. */
  public String toLowerHex() {
    return Hex.encode(bytes);
  }

  /** EIP-55 mixed-case checksum form: a digit is uppercased where the hash of the lowercase is &ge; 8. */
  public String toChecksumHex() {
    final String lower = Hex.encodeNoPrefix(bytes);
    final byte[] hash = Keccak.keccak256(lower.getBytes(StandardCharsets.US_ASCII));
    final char[] out = new char[42];
    out[0] = '0';
    out[1] = 'x';
    for (int i = 0; i < 40; i++) {
      final char c = lower.charAt(i);
      final int nibble = (hash[i / 2] >> ((i % 2 == 0) ? 4 : 0)) & 0xf;
      out[2 + i] = (c >= 'a' && nibble >= 8) ? Character.toUpperCase(c) : c;
    }
    return new String(out);
  }

  /** Same as {@link #toChecksumHex()}. */
  @Override
  public String toString() {
    return toChecksumHex();
  }

  @Override
  public boolean equals(final Object other) {
    return other instanceof EthAddress that && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }
}
