package dev.mandate.enclave.ethereum;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.Optional;

/** A secp256k1 public key. Immutable; always a valid curve point. */
public final class Secp256k1PublicKey {
  /** How a signature to verify is encoded. */
  public enum SignatureEncoding {
    /** ASN.1 DER {@code SEQUENCE { INTEGER r, INTEGER s }}, canonical only (no BER leniency). */
    DER,
    /** IEEE P1363: r and s as 32 big-endian bytes each. */
    P1363
  }

  /** Which S values a verification accepts. */
  public enum SValues {
    /** Plain ECDSA: (r, s) and (r, N - s) both verify. */
    ANY,
    /** Only s &le; N/2, as Ethereum (EIP-2) and Bitcoin (BIP-146) require against malleability. */
    LOW_ONLY
  }

  private final byte[] uncompressed;
  private final Secp256k1Backend backend;
  private volatile EthAddress address;

  Secp256k1PublicKey(final byte[] uncompressed, final Secp256k1Backend backend) {
    this.uncompressed = uncompressed;
    this.backend = backend;
  }

  /** Parses a SEC1 encoding, compressed (33 bytes) or uncompressed (65), checking the point. */
  public static Secp256k1PublicKey fromEncoded(final byte[] encoded) {
    return fromEncoded(encoded, Secp256k1Backends.preferred());
  }

  static Secp256k1PublicKey fromEncoded(final byte[] encoded, final Secp256k1Backend backend) {
    return new Secp256k1PublicKey(Curve.decodePoint(encoded).getEncoded(false), backend);
  }

  /**
   * The key that made {@code signature} over {@code digest} ({@code ecrecover}), or empty when the
   * signature recovers to no point.
   */
  public static Optional<Secp256k1PublicKey> recover(final byte[] digest, final RecoverableSignature signature) {
    final Secp256k1Backend backend = Secp256k1Backends.preferred();
    return backend.recover(requireDigest(digest), signature.r(), signature.s(), signature.recoveryId())
        .map(key -> new Secp256k1PublicKey(key, backend));
  }

  /** 65 bytes: 0x04 ‖ x ‖ y. */
  public byte[] toUncompressed() {
    return uncompressed.clone();
  }

  /** The internal array, no copy: for the signing path only, which never mutates it. */
  byte[] toUncompressedUnsafe() {
    return uncompressed;
  }

  /** 33 bytes: 0x02 or 0x03 (parity of y) ‖ x. */
  public byte[] toCompressed() {
    final byte[] out = Arrays.copyOfRange(uncompressed, 0, 33);
    out[0] = (byte) ((uncompressed[64] & 1) == 0 ? 0x02 : 0x03);
    return out;
  }

  /** {@code 0x} + the 33-byte compressed form in hex. */
  public String toCompressedHex() {
    return Hex.encode(toCompressed());
  }

  /** {@code 0x} + the 65-byte uncompressed form in hex (what Privy's {@code public_key} shows). */
  public String toUncompressedHex() {
    return Hex.encode(uncompressed);
  }

  /** The account address; computed once. */
  public EthAddress address() {
    EthAddress local = address;
    if (local == null) {
      local = EthAddress.fromUncompressedPublicKey(uncompressed);
      address = local;
    }
    return local;
  }

  /** Whether a signature made by {@link Secp256k1PrivateKey#signDigest} verifies (low S required). */
  public boolean verify(final byte[] digest, final RecoverableSignature signature) {
    return signature.isLowS()
        && backend.verify(requireDigest(digest), signature.r(), signature.s(), uncompressed);
  }

  /**
   * Verifies an encoded ECDSA signature over a 32-byte digest (the caller hashes). Malformed
   * encodings, out-of-range values and, under {@link SValues#LOW_ONLY}, high S all return false.
   */
  public boolean verify(
      final byte[] digest, final byte[] signature, final SignatureEncoding encoding, final SValues sValues) {
    requireDigest(digest);
    final Optional<BigInteger[]> rs = switch (encoding) {
      case DER -> SignatureCodec.parseDer(signature);
      case P1363 -> SignatureCodec.parseP1363(signature);
    };
    if (rs.isEmpty()) {
      return false;
    }
    final BigInteger r = rs.get()[0];
    final BigInteger s = rs.get()[1];
    if (!inRange(r) || !inRange(s)) {
      return false;
    }
    if (sValues == SValues.LOW_ONLY && s.compareTo(Curve.HALF_N) > 0) {
      return false;
    }
    return backend.verify(digest, r, s, uncompressed);
  }

  /** The same key bound to another backend; lets tests run one key through both. */
  Secp256k1PublicKey withBackend(final Secp256k1Backend other) {
    return new Secp256k1PublicKey(uncompressed, other);
  }

  @Override
  public boolean equals(final Object other) {
    return other instanceof Secp256k1PublicKey that && Arrays.equals(uncompressed, that.uncompressed);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(uncompressed);
  }

  @Override
  public String toString() {
    return "Secp256k1PublicKey[" + toCompressedHex() + "]";
  }

  private static boolean inRange(final BigInteger v) {
    return v.signum() > 0 && v.compareTo(Curve.N) < 0;
  }

  private static byte[] requireDigest(final byte[] digest) {
    if (digest.length != 32) {
      throw new IllegalArgumentException("digest must be 32 bytes");
    }
    return digest;
  }
}
