package dev.mandate.enclave.solana;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * A Solana wire transaction: {@code compact-u16 S}, S 64-byte signature slots (zeros when unsigned),
 * then the message. S must equal the message's {@code numRequiredSignatures}; the whole transaction
 * is at most {@value #MAX_BYTES} bytes (the packet size); nothing may follow the message.
 */
public final class SolanaTransaction {
  /** The largest transaction the network accepts (IPv6 MTU minus headers). */
  public static final int MAX_BYTES = 1232;
  private static final int SIGNATURE_BYTES = 64;

  private final List<byte[]> signatures;
  private final SolanaMessage message;

  private SolanaTransaction(final List<byte[]> signatures, final SolanaMessage message) {
    this.signatures = signatures.stream().map(byte[]::clone).toList();
    this.message = message;
  }

  public static SolanaTransaction parse(final byte[] bytes) {
    if (bytes.length > MAX_BYTES) {
      throw new MalformedTransactionException("the transaction is " + bytes.length + " bytes; at most " + MAX_BYTES + " are allowed");
    }
    final WireReader in = new WireReader(bytes);
    final int count = in.compactU16("the signature count");
    final List<byte[]> signatures = new ArrayList<>(Math.min(count, 32));
    for (int i = 0; i < count; i++) {
      signatures.add(in.take(SIGNATURE_BYTES, "signature " + i));
    }
    final SolanaMessage message = SolanaMessage.read(in, bytes);
    if (!in.atEnd()) {
      throw new MalformedTransactionException("the transaction has trailing bytes after the message");
    }
    if (count != message.numRequiredSignatures()) {
      throw new MalformedTransactionException("the transaction has " + count + " signature slots but its message requires "
          + message.numRequiredSignatures());
    }
    return new SolanaTransaction(signatures, message);
  }

  public SolanaMessage message() {
    return message;
  }

  /** The signature in {@code slot} (a copy; zeros when unsigned). */
  public byte[] signature(final int slot) {
    return signatures.get(slot).clone();
  }

  /** This transaction with {@code signature} in {@code slot}; every other slot as it was. */
  public SolanaTransaction withSignature(final int slot, final byte[] signature) {
    if (signature.length != SIGNATURE_BYTES) {
      throw new IllegalArgumentException("a signature is 64 bytes");
    }
    final List<byte[]> changed = new ArrayList<>(signatures);
    changed.set(slot, signature.clone());
    return new SolanaTransaction(changed, message);
  }

  /** This transaction for another message (a new blockhash): every signature slot is cleared. */
  public SolanaTransaction withMessage(final SolanaMessage other) {
    return new SolanaTransaction(signatures.stream().map(s -> new byte[SIGNATURE_BYTES]).toList(), other);
  }

  /** Whether any slot other than {@code slot} holds a signature. */
  public boolean hasOtherSignatures(final int slot) {
    for (int i = 0; i < signatures.size(); i++) {
      if (i != slot && !java.util.Arrays.equals(signatures.get(i), new byte[SIGNATURE_BYTES])) {
        return true;
      }
    }
    return false;
  }

  public byte[] toBytes() {
    final ByteArrayOutputStream out = new ByteArrayOutputStream(MAX_BYTES);
    out.writeBytes(WireReader.compactU16Bytes(signatures.size()));
    signatures.forEach(out::writeBytes);
    out.writeBytes(message.bytes());
    return out.toByteArray();
  }
}
