package dev.mandate.enclave.ethereum;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.List;

/**
 * Recursive Length Prefix encoding (Ethereum Yellow Paper, appendix B), encoder only: the enclave
 * builds transactions, it never parses signed ones.
 *
 * <p>Lists take items that are already encoded, so callers build a transaction bottom-up without
 * an intermediate tree.
 */
public final class Rlp {
  private static final byte[] EMPTY_STRING = {(byte) 0x80};
  private static final byte[] EMPTY_LIST = {(byte) 0xc0};

  private Rlp() {}

  /** A byte string: a single byte below 0x80 is its own encoding, anything else gets a header. */
  public static byte[] encodeBytes(final byte[] bytes) {
    if (bytes.length == 1 && (bytes[0] & 0xff) < 0x80) {
      return new byte[] {bytes[0]};
    }
    final byte[] header = header(0x80, bytes.length);
    final byte[] out = new byte[header.length + bytes.length];
    System.arraycopy(header, 0, out, 0, header.length);
    System.arraycopy(bytes, 0, out, header.length, bytes.length);
    return out;
  }

  /** A non-negative integer as its minimal big-endian bytes; zero is the empty string. */
  public static byte[] encodeQuantity(final BigInteger value) {
    if (value.signum() < 0) {
      throw new IllegalArgumentException("RLP integers must not be negative");
    }
    if (value.signum() == 0) {
      return EMPTY_STRING.clone();
    }
    return encodeBytes(unsignedBytes(value));
  }

  /** A non-negative integer as its minimal big-endian bytes; zero is the empty string. */
  public static byte[] encodeQuantity(final long value) {
    return encodeQuantity(BigInteger.valueOf(value));
  }

  /** A list of items that are each already RLP-encoded. */
  public static byte[] encodeList(final List<byte[]> encodedItems) {
    if (encodedItems.isEmpty()) {
      return EMPTY_LIST.clone();
    }
    int length = 0;
    for (final byte[] item : encodedItems) {
      length = Math.addExact(length, item.length);
    }
    final byte[] header = header(0xc0, length);
    final ByteArrayOutputStream out = new ByteArrayOutputStream(header.length + length);
    out.writeBytes(header);
    for (final byte[] item : encodedItems) {
      out.writeBytes(item);
    }
    return out.toByteArray();
  }

  /** A list of items that are each already RLP-encoded. */
  public static byte[] encodeList(final byte[]... encodedItems) {
    return encodeList(List.of(encodedItems));
  }

  /** Minimal big-endian magnitude of a positive number (no sign byte). */
  static byte[] unsignedBytes(final BigInteger value) {
    final byte[] raw = value.toByteArray();
    if (raw[0] != 0 || raw.length == 1) {
      return raw;
    }
    final byte[] trimmed = new byte[raw.length - 1];
    System.arraycopy(raw, 1, trimmed, 0, trimmed.length);
    return trimmed;
  }

  private static byte[] header(final int offset, final int length) {
    if (length < 56) {
      return new byte[] {(byte) (offset + length)};
    }
    final byte[] lengthBytes = unsignedBytes(BigInteger.valueOf(length));
    final byte[] out = new byte[1 + lengthBytes.length];
    out[0] = (byte) (offset + 55 + lengthBytes.length);
    System.arraycopy(lengthBytes, 0, out, 1, lengthBytes.length);
    return out;
  }
}
