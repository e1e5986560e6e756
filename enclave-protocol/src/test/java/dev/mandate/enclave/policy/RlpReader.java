package dev.mandate.enclave.policy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** A minimal RLP decoder for tests: items are {@code byte[]} or {@code List<Object>}. */
final class RlpReader {
  private final byte[] in;
  private int pos;

  private RlpReader(final byte[] in, final int pos) {
    this.in = in;
    this.pos = pos;
  }

  /** Decodes the single item starting at {@code offset}, which must span the rest of the input. */
  static Object decode(final byte[] in, final int offset) {
    final RlpReader reader = new RlpReader(in, offset);
    final Object item = reader.item();
    if (reader.pos != in.length) {
      throw new IllegalArgumentException("trailing bytes");
    }
    return item;
  }

  static BigInteger quantity(final Object item) {
    return new BigInteger(1, (byte[]) item);
  }

  private Object item() {
    final int prefix = in[pos++] & 0xff;
    if (prefix < 0x80) {
      return new byte[] {(byte) prefix};
    }
    if (prefix < 0xb8) {
      return bytes(prefix - 0x80);
    }
    if (prefix < 0xc0) {
      return bytes(length(prefix - 0xb7));
    }
    final int length = prefix < 0xf8 ? prefix - 0xc0 : length(prefix - 0xf7);
    final int end = pos + length;
    final List<Object> items = new ArrayList<>();
    while (pos < end) {
      items.add(item());
    }
    return items;
  }

  private byte[] bytes(final int length) {
    final byte[] out = Arrays.copyOfRange(in, pos, pos + length);
    pos += length;
    return out;
  }

  private int length(final int bytes) {
    int length = 0;
    for (int i = 0; i < bytes; i++) {
      length = (length << 8) | (in[pos++] & 0xff);
    }
    return length;
  }
}
