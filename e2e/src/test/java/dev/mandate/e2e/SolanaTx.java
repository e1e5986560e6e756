package dev.mandate.e2e;

import dev.mandate.enclave.solana.Base58;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * Builds unsigned Solana wire transactions the way @solana/kit lays them out (the enclave's parser is
 * tested against kit's own encodings), and verifies ed25519 signatures with the JDK's SunEC
 * implementation: an oracle independent of the BouncyCastle code that signs.
 */
final class SolanaTx {
  static final String SYSTEM = "11111111111111111111111111111111";
  static final String COMPUTE_BUDGET = "ComputeBudget111111111111111111111111111111";

  private SolanaTx() {}

  /** A System Program transfer; {@code signers} are the required signers, fee payer first. */
  static byte[] transfer(final List<String> signers, final String from, final String to, final long lamports,
      final String blockhash, final boolean v0) {
    final List<String> keys = new ArrayList<>(signers);
    if (!keys.contains(from)) {
      keys.add(from);
    }
    keys.add(to);
    keys.add(SYSTEM);
    final ByteArrayOutputStream m = new ByteArrayOutputStream();
    if (v0) {
      m.write(0x80);
    }
    m.write(signers.size());
    m.write(0);
    m.write(1); // the System Program is read-only
    m.write(keys.size());
    keys.forEach(k -> m.writeBytes(Base58.decodePublicKey(k).orElseThrow()));
    m.writeBytes(Base58.decodePublicKey(blockhash).orElseThrow());
    m.write(1);
    m.write(keys.indexOf(SYSTEM));
    m.write(2);
    m.write(keys.indexOf(from));
    m.write(keys.indexOf(to));
    m.write(12);
    m.writeBytes(ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(2).putLong(lamports).array());
    if (v0) {
      m.write(0); // no lookups
    }
    final ByteArrayOutputStream tx = new ByteArrayOutputStream();
    tx.write(signers.size());
    tx.writeBytes(new byte[64 * signers.size()]);
    tx.writeBytes(m.toByteArray());
    return tx.toByteArray();
  }

  static String base64(final byte[] bytes) {
    return Base64.getEncoder().encodeToString(bytes);
  }

  /** The message part of a transaction with {@code slots} signature slots (fewer than 128). */
  static byte[] message(final byte[] tx) {
    return Arrays.copyOfRange(tx, 1 + 64 * tx[0], tx.length);
  }

  static byte[] signature(final byte[] tx, final int slot) {
    return Arrays.copyOfRange(tx, 1 + 64 * slot, 1 + 64 * (slot + 1));
  }

  static boolean verify(final String address, final byte[] message, final byte[] signature) {
    try {
      final byte[] spki = HexFormat.of().parseHex("302a300506032b6570032100");
      final byte[] der = Arrays.copyOf(spki, spki.length + 32);
      System.arraycopy(Base58.decodePublicKey(address).orElseThrow(), 0, der, spki.length, 32);
      final Signature verifier = Signature.getInstance("Ed25519");
      verifier.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der)));
      verifier.update(message);
      return verifier.verify(signature);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }
}
