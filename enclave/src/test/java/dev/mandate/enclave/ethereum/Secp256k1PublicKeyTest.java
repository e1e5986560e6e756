package dev.mandate.enclave.ethereum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mandate.enclave.ethereum.Secp256k1PublicKey.SValues;
import dev.mandate.enclave.ethereum.Secp256k1PublicKey.SignatureEncoding;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class Secp256k1PublicKeyTest {
  @Test
  void compressedAndUncompressedEncodingsRoundTrip() {
    try (Secp256k1PrivateKey key = TestSupport.hardhat()) {
      final Secp256k1PublicKey fromCompressed = Secp256k1PublicKey.fromEncoded(key.publicKey().toCompressed());
      final Secp256k1PublicKey fromUncompressed = Secp256k1PublicKey.fromEncoded(key.publicKey().toUncompressed());
      assertThat(fromCompressed).isEqualTo(key.publicKey()).isEqualTo(fromUncompressed);
      assertThat(fromCompressed.address().toChecksumHex()).isEqualTo(TestSupport.HARDHAT_ADDRESS);
    }
  }

  @Test
  void refusesPointsOffTheCurveAndWrongLengths() {
    try (Secp256k1PrivateKey key = TestSupport.hardhat()) {
      final byte[] tampered = key.publicKey().toUncompressed();
      tampered[64] ^= 1;
      assertThatThrownBy(() -> Secp256k1PublicKey.fromEncoded(tampered)).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> Secp256k1PublicKey.fromEncoded(new byte[64])).isInstanceOf(IllegalArgumentException.class);
      final byte[] badPrefix = key.publicKey().toCompressed();
      badPrefix[0] = 0x05;
      assertThatThrownBy(() -> Secp256k1PublicKey.fromEncoded(badPrefix)).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void highSVerifiesOnlyWhenAnySIsAllowed() {
    try (Secp256k1PrivateKey key = TestSupport.hardhat()) {
      final byte[] digest = Keccak.keccak256(new byte[] {1, 2, 3});
      final RecoverableSignature low = key.signDigest(digest);
      final BigInteger highS = Curve.N.subtract(low.s());
      final byte[] p1363 = new byte[64];
      System.arraycopy(low.rBytes(), 0, p1363, 0, 32);
      System.arraycopy(RecoverableSignature.toBytes32(highS), 0, p1363, 32, 32);
      final Secp256k1PublicKey publicKey = key.publicKey();
      assertThat(publicKey.verify(digest, p1363, SignatureEncoding.P1363, SValues.ANY)).isTrue();
      assertThat(publicKey.verify(digest, p1363, SignatureEncoding.P1363, SValues.LOW_ONLY)).isFalse();
      assertThat(publicKey.verify(digest, new RecoverableSignature(low.r(), highS, low.recoveryId() ^ 1))).isFalse();
    }
  }
}
