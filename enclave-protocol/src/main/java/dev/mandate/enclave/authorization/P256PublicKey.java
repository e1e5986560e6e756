package dev.mandate.enclave.authorization;

import dev.mandate.enclave.InvalidRequestException;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

/**
 * A P-256 (secp256r1) public key as Privy apps register it: an authorization key, a key-quorum
 * member or a user's session key. It verifies ECDSA/SHA-256 signatures.
 *
 * <p>Immutable and thread-safe. Equality is on the curve point, so the same key written with line
 * breaks, with PEM armour or without either is one key.
 */
public final class P256PublicKey {
  private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256r1");
  private static final ECDomainParameters DOMAIN = new ECDomainParameters(CURVE);
  /** Group order n; r and s must lie in [1, n-1]. */
  static final BigInteger ORDER = DOMAIN.getN();

  /** SPKI header for id-ecPublicKey + prime256v1 with an uncompressed point: the only form we take. */
  private static final byte[] SPKI_PREFIX =
      HexFormat.of().parseHex("3059301306072a8648ce3d020106082a8648ce3d030107034200");
  private static final int SPKI_LENGTH = 91;
  private static final String PEM_BEGIN = "-----BEGIN PUBLIC KEY-----";
  private static final String PEM_END = "-----END PUBLIC KEY-----";
  /** Far above a 91-byte key in PEM with CRLFs; stops us decoding megabytes of junk. */
  private static final int MAX_TEXT_LENGTH = 1024;

  private final byte[] spki;
  // Decoded once and reused: BouncyCastle caches its multiplication tables on the point instance,
  // so later verifications with the same key skip that work.
  private final ECPublicKeyParameters publicKey;
  /** The same key in AWS-LC (ACCP), when it loads here: verification then runs natively. */
  private final java.util.Optional<java.security.PublicKey> awsLcKey;

  private P256PublicKey(final byte[] spki, final ECPublicKeyParameters publicKey,
      final java.util.Optional<java.security.PublicKey> awsLcKey) {
    this.spki = spki;
    this.publicKey = publicKey;
    this.awsLcKey = awsLcKey;
  }

  /** Which implementation verifies a key's signatures. */
  enum Backend {
    /** AWS-LC via ACCP when it loads on this platform, else BouncyCastle. */
    PREFERRED,
    /** Pure Java, always available. */
    BOUNCY_CASTLE
  }

  /** The same key verifying with {@code backend} (tests and benchmarks compare the two). */
  P256PublicKey with(final Backend backend) {
    return new P256PublicKey(spki, publicKey, backend == Backend.PREFERRED ? AwsLcP256.key(spki) : java.util.Optional.empty());
  }

  /** Whether this key verifies in AWS-LC rather than BouncyCastle. */
  public boolean verifiesNatively() {
    return awsLcKey.isPresent();
  }

  /** Parses base64 SPKI DER (whitespace allowed) or PEM; the field name in errors is "public key". */
  public static P256PublicKey parse(final String text) {
    return parse(text, "public key");
  }

  /**
   * Parses a key as Privy accepts it: base64 of the 91-byte SPKI DER, possibly broken into lines
   * (Privy's own examples embed {@code \n}), possibly wrapped in {@code -----BEGIN PUBLIC KEY-----}.
   *
   * @param field how the caller names the value in errors, e.g. {@code public_keys[0]}
   * @throws InvalidRequestException if the text is not exactly that: wrong curve, off-curve point,
   *     compressed point, explicit parameters, trailing bytes or garbage
   */
  public static P256PublicKey parse(final String text, final String field) {
    if (text == null || text.length() > MAX_TEXT_LENGTH) {
      throw invalid(field, "missing or too long");
    }
    final byte[] der;
    try {
      der = Base64.getDecoder().decode(stripWhitespace(stripArmour(text.strip(), field)));
    } catch (IllegalArgumentException e) {
      throw invalid(field, "not base64");
    }
    return fromSpki(der, field);
  }

  private static String stripArmour(final String text, final String field) {
    if (!text.startsWith("-----")) {
      return text;
    }
    if (!text.startsWith(PEM_BEGIN) || !text.endsWith(PEM_END)
        || text.length() < PEM_BEGIN.length() + PEM_END.length()) {
      throw invalid(field, "PEM armour is not PUBLIC KEY");
    }
    return text.substring(PEM_BEGIN.length(), text.length() - PEM_END.length());
  }

  private static String stripWhitespace(final String text) {
    final StringBuilder out = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      final char c = text.charAt(i);
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        out.append(c);
      }
    }
    return out.toString();
  }

  private static P256PublicKey fromSpki(final byte[] der, final String field) {
    // A fixed-prefix comparison instead of a general ASN.1 parse: there is exactly one DER encoding
    // of an uncompressed P-256 SPKI, so anything else (BER, other curves, trailing data) is refused.
    if (der.length != SPKI_LENGTH
        || !Arrays.equals(der, 0, SPKI_PREFIX.length, SPKI_PREFIX, 0, SPKI_PREFIX.length)
        || der[SPKI_PREFIX.length] != 0x04) {
      throw invalid(field, "not an uncompressed P-256 SubjectPublicKeyInfo");
    }
    try {
      final ECPoint point =
          CURVE.getCurve().decodePoint(Arrays.copyOfRange(der, SPKI_PREFIX.length, der.length));
      // The constructor rejects the point at infinity and points not on the curve.
      final byte[] copy = der.clone();
      return new P256PublicKey(copy, new ECPublicKeyParameters(point, DOMAIN), AwsLcP256.key(copy));
    } catch (IllegalArgumentException e) {
      throw invalid(field, "not a point on P-256");
    }
  }

  private static InvalidRequestException invalid(final String field, final String why) {
    return new InvalidRequestException(field + " is not a base64 SPKI P-256 public key (" + why + ")");
  }

  /** Canonical form: base64 of the SPKI DER, no whitespace, no armour. */
  public String toBase64() {
    return Base64.getEncoder().encodeToString(spki);
  }

  /**
   * ECDSA P-256 over SHA-256(message) with an ASN.1 DER signature, as Privy clients produce. High-S
   * signatures are accepted (the clients do not normalise S); non-DER encodings are not.
   */
  public boolean verify(final byte[] message, final byte[] derSignature) {
    return EcdsaSignature.fromDer(derSignature)
        .map(signature -> verifyDigest(sha256(message), signature))
        .orElse(false);
  }

  /** As {@link #verify} for an IEEE P1363 signature: r and s as 32 big-endian bytes each. */
  public boolean verifyP1363(final byte[] message, final byte[] rs) {
    return EcdsaSignature.fromP1363(rs)
        .map(signature -> verifyDigest(sha256(message), signature))
        .orElse(false);
  }

  /** Verification against a precomputed SHA-256, so one payload is hashed once per request. */
  boolean verifyDigest(final byte[] digest, final EcdsaSignature signature) {
    if (awsLcKey.isPresent()) {
      return AwsLcP256.verify(awsLcKey.get(), digest, signature);
    }
    // A signer per call: ECDSASigner holds state and is not thread-safe; it is cheap to create.
    final ECDSASigner signer = new ECDSASigner();
    signer.init(false, publicKey);
    return signer.verifySignature(digest, signature.r(), signature.s());
  }

  /**
   * Every key under which {@code signature} verifies for {@code digest}: ECDSA public-key recovery,
   * Q = r^-1 (sR - eG) for each R with x(R) = r (+ n) — at most four, almost always two. Lets a
   * caller find which stored keys can matter for a request without reading them all.
   */
  static List<P256PublicKey> recover(final byte[] digest, final EcdsaSignature signature) {
    final BigInteger n = DOMAIN.getN();
    final BigInteger e = new BigInteger(1, digest);
    final BigInteger rInverse = signature.r().modInverse(n);
    final BigInteger u1 = e.negate().multiply(rInverse).mod(n);
    final BigInteger u2 = signature.s().multiply(rInverse).mod(n);
    final List<P256PublicKey> keys = new ArrayList<>(4);
    for (final BigInteger x : List.of(signature.r(), signature.r().add(n))) {
      if (x.compareTo(CURVE.getCurve().getField().getCharacteristic()) >= 0) {
        continue;
      }
      for (final byte prefix : new byte[] {0x02, 0x03}) {
        final byte[] encoded = new byte[33];
        encoded[0] = prefix;
        final byte[] xBytes = BigIntegers.asUnsignedByteArray(32, x);
        System.arraycopy(xBytes, 0, encoded, 1, 32);
        final ECPoint r;
        try {
          r = CURVE.getCurve().decodePoint(encoded);
        } catch (IllegalArgumentException notOnCurve) {
          continue;
        }
        final ECPoint q = ECAlgorithms.sumOfTwoMultiplies(DOMAIN.getG(), u1, r, u2).normalize();
        if (!q.isInfinity()) {
          keys.add(fromPoint(q));
        }
      }
    }
    return keys;
  }

  private static P256PublicKey fromPoint(final ECPoint point) {
    final byte[] encoded = point.getEncoded(false);
    final byte[] spki = Arrays.copyOf(SPKI_PREFIX, SPKI_LENGTH);
    System.arraycopy(encoded, 0, spki, SPKI_PREFIX.length, encoded.length);
    return new P256PublicKey(spki, new ECPublicKeyParameters(point, DOMAIN), java.util.Optional.empty());
  }

  /**
   * A short stable name for the key: hex of the first 16 bytes of SHA-256 over its SPKI DER. Session
   * keys are stored under it, so the records a request's signatures can match are found by id.
   */
  public String fingerprint() {
    return HexFormat.of().formatHex(sha256(spki), 0, 16);
  }

  static byte[] sha256(final byte[] message) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(message);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }

  @Override
  public boolean equals(final Object other) {
    return other instanceof P256PublicKey key && Arrays.equals(spki, key.spki);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(spki);
  }

  @Override
  public String toString() {
    return "P256PublicKey[" + toBase64() + "]";
  }
}
