package dev.mandate.enclave.solana;

import java.util.Arrays;

/** A strict cursor over Solana wire bytes; every short read is a {@link MalformedTransactionException}. */
final class WireReader {
  private final byte[] bytes;
  private int position;

  WireReader(final byte[] bytes) {
    this.bytes = bytes;
  }

  int position() {
    return position;
  }

  boolean atEnd() {
    return position == bytes.length;
  }

  int u8(final String what) {
    need(1, what);
    return bytes[position++] & 0xff;
  }

  byte[] take(final int length, final String what) {
    need(length, what);
    final byte[] out = Arrays.copyOfRange(bytes, position, position + length);
    position += length;
    return out;
  }

  /** compact-u16: 7 bits per byte, low bits first, at most 3 bytes, shortest form only. */
  int compactU16(final String what) {
    int value = 0;
    for (int i = 0; i < 3; i++) {
      final int b = u8(what);
      value |= (b & 0x7f) << (7 * i);
      if ((b & 0x80) == 0) {
        if (i > 0 && b == 0) {
          throw new MalformedTransactionException(what + " is not in shortest compact-u16 form");
        }
        if (value > 0xffff) {
          throw new MalformedTransactionException(what + " is larger than a u16");
        }
        return value;
      }
    }
    throw new MalformedTransactionException(what + " is longer than 3 bytes of compact-u16");
  }

  private void need(final int length, final String what) {
    if (length < 0 || bytes.length - position < length) {
      throw new MalformedTransactionException("the transaction ends inside " + what);
    }
  }

  static byte[] compactU16Bytes(final int value) {
    if (value < 0x80) {
      return new byte[] {(byte) value};
    }
    if (value < 0x4000) {
      return new byte[] {(byte) (value & 0x7f | 0x80), (byte) (value >>> 7)};
    }
    return new byte[] {(byte) (value & 0x7f | 0x80), (byte) (value >>> 7 & 0x7f | 0x80), (byte) (value >>> 14)};
  }
}
