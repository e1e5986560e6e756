package dev.mandate.enclave.ethereum;

import java.math.BigInteger;
import java.util.Optional;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;

/**
 * Pure-Java fallback for when libsecp256k1 cannot load (an unsupported platform, a locked-down
 * temp directory). Slower (about 110 µs against 78 µs a signature), same output.
 *
 * <p>The private scalar becomes a {@link BigInteger} here, which cannot be wiped; the native
 * backend is preferred partly for that reason.
 */
final class BouncyCastleSecp256k1Backend implements Secp256k1Backend {
  static final BouncyCastleSecp256k1Backend INSTANCE = new BouncyCastleSecp256k1Backend();

  private BouncyCastleSecp256k1Backend() {}

  @Override
  public String toString() {
    return name();
  }

  @Override
  public String name() {
    return "bouncycastle";
  }

  @Override
  public byte[] publicKey(final byte[] secret) {
    final ECDomainParameters domain = Curve.domain();
    return new FixedPointCombMultiplier()
        .multiply(domain.getG(), new BigInteger(1, secret))
        .normalize()
        .getEncoded(false);
  }

  @Override
  public RecoverableSignature sign(final byte[] digest, final byte[] secret,
      final java.util.function.Supplier<byte[]> publicKey) {
    final ECDomainParameters domain = Curve.domain();
    final BigInteger n = domain.getN();
    final BigInteger d = new BigInteger(1, secret);
    final BigInteger e = new BigInteger(1, digest);
    final HMacDSAKCalculator nonces = new HMacDSAKCalculator(new SHA256Digest());
    nonces.init(n, d, digest);
    final FixedPointCombMultiplier multiplier = new FixedPointCombMultiplier();
    while (true) {
      final BigInteger k = nonces.nextK();
      // ECDSASigner would hide R; computing it here gives the recovery id for free.
      final ECPoint point = multiplier.multiply(domain.getG(), k).normalize();
      final BigInteger x = point.getAffineXCoord().toBigInteger();
      final BigInteger r = x.mod(n);
      if (r.signum() == 0) {
        continue;
      }
      BigInteger s = k.modInverse(n).multiply(e.add(d.multiply(r))).mod(n);
      if (s.signum() == 0) {
        continue;
      }
      int recoveryId = (point.getAffineYCoord().testBitZero() ? 1 : 0) | (x.compareTo(n) >= 0 ? 2 : 0);
      if (s.compareTo(Curve.HALF_N) > 0) {
        // -s signs for -R, whose y has the other parity (EIP-2 low-S).
        s = n.subtract(s);
        recoveryId ^= 1;
      }
      return new RecoverableSignature(r, s, recoveryId);
    }
  }

  @Override
  public boolean verify(final byte[] digest, final BigInteger r, final BigInteger s, final byte[] publicKey) {
    final ECDomainParameters domain = Curve.domain();
    final ECDSASigner verifier = new ECDSASigner();
    verifier.init(false, new ECPublicKeyParameters(domain.getCurve().decodePoint(publicKey), domain));
    return verifier.verifySignature(digest, r, s);
  }

  @Override
  public Optional<byte[]> recover(final byte[] digest, final BigInteger r, final BigInteger s, final int recoveryId) {
    // SEC 1 v2, 4.1.6: R from r and the parity bit, then Q = r^-1 (sR - eG).
    final ECDomainParameters domain = Curve.domain();
    final BigInteger n = domain.getN();
    final BigInteger x = r.add(BigInteger.valueOf(recoveryId >> 1).multiply(n));
    if (x.compareTo(domain.getCurve().getField().getCharacteristic()) >= 0) {
      return Optional.empty();
    }
    final byte[] compressed = new byte[33];
    compressed[0] = (byte) ((recoveryId & 1) == 0 ? 0x02 : 0x03);
    final byte[] xBytes = Rlp.unsignedBytes(x);
    System.arraycopy(xBytes, 0, compressed, 33 - xBytes.length, xBytes.length);
    final ECPoint bigR;
    try {
      bigR = domain.getCurve().decodePoint(compressed);
    } catch (IllegalArgumentException notOnCurve) {
      return Optional.empty();
    }
    final BigInteger rInverse = r.modInverse(n);
    final BigInteger e = new BigInteger(1, digest);
    final ECPoint q = ECAlgorithms.sumOfTwoMultiplies(
            domain.getG(), e.negate().mod(n).multiply(rInverse).mod(n),
            bigR, s.multiply(rInverse).mod(n))
        .normalize();
    return q.isInfinity() ? Optional.empty() : Optional.of(q.getEncoded(false));
  }
}
