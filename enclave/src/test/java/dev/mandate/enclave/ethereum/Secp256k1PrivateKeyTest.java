package dev.mandate.enclave.ethereum;

import static dev.mandate.enclave.ethereum.TestSupport.HARDHAT_ADDRESS;
import static dev.mandate.enclave.ethereum.TestSupport.HARDHAT_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class Secp256k1PrivateKeyTest {
  static Stream<Secp256k1Backend> backends() {
    return TestSupport.backends();
  }

  @ParameterizedTest
  @MethodSource("backends")
  void derivesTheWellKnownHardhatAddressAndPublicKey(final Secp256k1Backend backend) {
    try (Secp256k1PrivateKey key = TestSupport.key(HARDHAT_KEY, backend)) {
      assertThat(key.address().toChecksumHex()).isEqualTo(HARDHAT_ADDRESS);
      assertThat(key.publicKey().toCompressedHex())
          .isEqualTo("0x038318535b54105d4a7aae60c08fc45f9687181b4fdfc625bd1a753fa7397fed75");
      assertThat(key.publicKey().toUncompressedHex()).isEqualTo("0x048318535b54105d4a7aae60c08fc45f9687181b4fdfc625"
          + "bd1a753fa7397fed753547f11ca8696646f2f3acb08e31016afac23e630c5d11f59f61fef57b0d2aa5");
    }
  }

  @Test
  void refusesScalarsOutsideOneToN() {
    final byte[] n = RecoverableSignature.toBytes32(Curve.N);
    final byte[] nPlusOne = RecoverableSignature.toBytes32(Curve.N.add(BigInteger.ONE));
    final byte[] max = new byte[32];
    Arrays.fill(max, (byte) 0xff);
    for (final byte[] bad : new byte[][] {new byte[32], n, nPlusOne, max, new byte[31], new byte[33]}) {
      assertThatThrownBy(() -> Secp256k1PrivateKey.fromBytes(bad))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("private key must be 32 bytes in [1, N)");
    }
    final byte[] one = new byte[32];
    one[31] = 1;
    try (Secp256k1PrivateKey nMinusOne = Secp256k1PrivateKey.fromBytes(RecoverableSignature.toBytes32(Curve.N.subtract(BigInteger.ONE)));
        Secp256k1PrivateKey g = Secp256k1PrivateKey.fromBytes(one)) {
      // (N-1)·G = -G: same x, opposite y.
      assertThat(Arrays.copyOfRange(nMinusOne.publicKey().toCompressed(), 1, 33))
          .isEqualTo(Arrays.copyOfRange(g.publicKey().toCompressed(), 1, 33));
      assertThat(nMinusOne.publicKey()).isNotEqualTo(g.publicKey());
    }
  }

  @Test
  void copiesTheCallersArraySoWipingItDoesNotBreakTheKey() {
    final byte[] secret = Hex.decode(HARDHAT_KEY);
    try (Secp256k1PrivateKey key = Secp256k1PrivateKey.fromBytes(secret)) {
      Arrays.fill(secret, (byte) 0);
      assertThat(key.toBytes()).isEqualTo(Hex.decode(HARDHAT_KEY));
      final byte[] exported = key.toBytes();
      exported[0] ^= 1;
      assertThat(key.toBytes()).isEqualTo(Hex.decode(HARDHAT_KEY));
    }
  }

  @Test
  void closeWipesTheScalarAndRefusesFurtherUse() throws Exception {
    final Secp256k1PrivateKey key = TestSupport.hardhat();
    final Field field = Secp256k1PrivateKey.class.getDeclaredField("secret");
    field.setAccessible(true);
    final byte[] internal = (byte[]) field.get(key);
    final String address = key.address().toChecksumHex();
    key.close();
    assertThat(internal).containsOnly(0);
    assertThatThrownBy(key::toBytes).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> key.signDigest(new byte[32])).isInstanceOf(IllegalStateException.class);
    key.close(); // idempotent
    assertThat(address).isEqualTo(HARDHAT_ADDRESS);
    assertThat(key.address().toChecksumHex()).as("derived before closing: kept").isEqualTo(HARDHAT_ADDRESS);
    assertThat(key.toString()).doesNotContain(HARDHAT_KEY.substring(2, 18));
  }

  @Test
  void thePublicKeyIsDerivedOnFirstUseAndNotAfterClose() {
    final Secp256k1PrivateKey key = TestSupport.hardhat();
    key.close();
    assertThatThrownBy(key::address).isInstanceOf(IllegalStateException.class);
    assertThat(key.toString()).isEqualTo("Secp256k1PrivateKey[closed]");
  }

  @Test
  void toStringShowsTheAddressNeverTheSecret() {
    try (Secp256k1PrivateKey key = TestSupport.hardhat()) {
      assertThat(key.toString()).contains(HARDHAT_ADDRESS).doesNotContain(HARDHAT_KEY.substring(2, 18));
    }
  }

  @Test
  void generateRejectsOutOfRangeCandidatesAndUsesTheGivenGenerator() {
    final byte[] valid = Hex.decode(HARDHAT_KEY);
    final Deque<byte[]> outputs = new ArrayDeque<>();
    outputs.add(new byte[32]); // zero: rejected
    outputs.add(RecoverableSignature.toBytes32(Curve.N)); // N: rejected
    outputs.add(valid);
    final SecureRandom scripted = new SecureRandom() {
      private static final long serialVersionUID = 1L;

      @Override
      public void nextBytes(final byte[] bytes) {
        System.arraycopy(outputs.removeFirst(), 0, bytes, 0, bytes.length);
      }
    };
    try (Secp256k1PrivateKey key = Secp256k1PrivateKey.generate(scripted)) {
      assertThat(key.address().toChecksumHex()).isEqualTo(HARDHAT_ADDRESS);
    }
    assertThat(outputs).isEmpty();
  }

  @Test
  void generateGivesDistinctValidKeys() {
    try (Secp256k1PrivateKey a = Secp256k1PrivateKey.generate(); Secp256k1PrivateKey b = Secp256k1PrivateKey.generate()) {
      assertThat(a.address()).isNotEqualTo(b.address());
      assertThat(Curve.isValidScalar(a.toBytes())).isTrue();
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void signaturesAreLowSDeterministicAndRecoverToTheKey(final Secp256k1Backend backend) {
    final Random random = new Random(42);
    for (int i = 0; i < 100; i++) {
      final byte[] secret = new byte[32];
      final byte[] digest = new byte[32];
      random.nextBytes(secret);
      random.nextBytes(digest);
      try (Secp256k1PrivateKey key = Secp256k1PrivateKey.fromBytes(secret, backend)) {
        final RecoverableSignature signature = key.signDigest(digest);
        assertThat(signature.isLowS()).isTrue();
        assertThat(signature.recoveryId()).isBetween(0, 1);
        assertThat(key.signDigest(digest)).isEqualTo(signature);
        assertThat(key.publicKey().verify(digest, signature)).isTrue();
        assertThat(backend.recover(digest, signature.r(), signature.s(), signature.recoveryId()))
            .hasValueSatisfying(recovered -> assertThat(recovered).isEqualTo(key.publicKey().toUncompressed()));
        assertThat(Secp256k1PublicKey.recover(digest, signature)).contains(key.publicKey());
        digest[0] ^= 1;
        assertThat(key.publicKey().verify(digest, signature)).isFalse();
      }
    }
  }

  @Test
  void everyBackendProducesIdenticalSignaturesAndRecoveryIds() {
    final Secp256k1Backend nativeBackend = NativeSecp256k1Backend.load();
    final Secp256k1Backend trialRecovery = NativeSecp256k1Backend.load(java.util.Optional.empty());
    final Random random = new Random(7);
    for (int i = 0; i < 500; i++) {
      final byte[] secret = new byte[32];
      final byte[] digest = new byte[32];
      random.nextBytes(secret);
      random.nextBytes(digest);
      try (Secp256k1PrivateKey fast = Secp256k1PrivateKey.fromBytes(secret, nativeBackend);
          Secp256k1PrivateKey trial = Secp256k1PrivateKey.fromBytes(secret, trialRecovery);
          Secp256k1PrivateKey slow = Secp256k1PrivateKey.fromBytes(secret, BouncyCastleSecp256k1Backend.INSTANCE)) {
        assertThat(fast.publicKey()).isEqualTo(slow.publicKey());
        assertThat(fast.signDigest(digest)).isEqualTo(slow.signDigest(digest)).isEqualTo(trial.signDigest(digest));
      }
    }
  }

  @Test
  void theNativeBackendSignsWithLibsecp256k1sRecoverableSignNotATrialRecovery() {
    assertThat(((NativeSecp256k1Backend) Secp256k1Backends.preferred()).signsRecoverable()).isTrue();
  }

  @Test
  void theNativeBackendIsPreferredWhenItLoads() {
    assertThat(Secp256k1Backends.nativeLoaded()).isTrue();
    assertThat(Secp256k1Backends.preferred().name()).startsWith("libsecp256k1");
  }

  @Test
  void theBouncyCastleFallbackCanBeForced() {
    System.setProperty("mandate.secp256k1", "bouncycastle");
    try {
      assertThat(Secp256k1Backends.choose()).isSameAs(BouncyCastleSecp256k1Backend.INSTANCE);
    } finally {
      System.clearProperty("mandate.secp256k1");
    }
    assertThat(Secp256k1Backends.choose()).isInstanceOf(NativeSecp256k1Backend.class);
  }

  @Test
  void signDigestRefusesAnythingButThirtyTwoBytes() {
    try (Secp256k1PrivateKey key = TestSupport.hardhat()) {
      assertThatThrownBy(() -> key.signDigest(new byte[31])).isInstanceOf(IllegalArgumentException.class);
      assertThatThrownBy(() -> key.signDigest(new byte[33])).isInstanceOf(IllegalArgumentException.class);
    }
  }
}
