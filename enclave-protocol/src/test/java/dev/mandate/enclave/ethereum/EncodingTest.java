package dev.mandate.enclave.ethereum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class EncodingTest {
  @Test
  void hexDecodesWithAndWithoutPrefixAndEncodesLowercaseWithPrefix() {
    assertThat(Hex.decode("0xDeadBeef")).containsExactly(0xde, 0xad, 0xbe, 0xef);
    assertThat(Hex.decode("deadbeef")).containsExactly(0xde, 0xad, 0xbe, 0xef);
    assertThat(Hex.decode("0x")).isEmpty();
    assertThat(Hex.encode(new byte[] {0x0a, (byte) 0xff})).isEqualTo("0x0aff");
    assertThat(Hex.encodeNoPrefix(new byte[] {0x0a})).isEqualTo("0a");
  }

  @Test
  void hexRefusesOddLengthsAndNonHexDigits() {
    assertThatThrownBy(() -> Hex.decode("0xabc")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Hex.decode("0xzz")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Hex.decode("0x1\u00e9")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void quantitiesNeedThePrefixAndAllowAnyNumberOfDigits() {
    assertThat(Hex.decodeQuantity("0x0")).isZero();
    assertThat(Hex.decodeQuantity("0x1bc")).isEqualTo(444);
    assertThat(Hex.encodeQuantity(BigInteger.valueOf(444))).isEqualTo("0x1bc");
    assertThat(Hex.encodeQuantity(BigInteger.ZERO)).isEqualTo("0x0");
    assertThatThrownBy(() -> Hex.decodeQuantity("1bc")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Hex.decodeQuantity("0x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rlpMatchesTheYellowPaperExamples() {
    final byte[] dog = Rlp.encodeBytes("dog".getBytes(StandardCharsets.US_ASCII));
    final byte[] cat = Rlp.encodeBytes("cat".getBytes(StandardCharsets.US_ASCII));
    assertThat(Hex.encode(dog)).isEqualTo("0x83646f67");
    assertThat(Hex.encode(Rlp.encodeList(cat, dog))).isEqualTo("0xc88363617483646f67");
    assertThat(Hex.encode(Rlp.encodeBytes(new byte[0]))).isEqualTo("0x80");
    assertThat(Hex.encode(Rlp.encodeList(List.of()))).isEqualTo("0xc0");
    assertThat(Hex.encode(Rlp.encodeQuantity(0))).isEqualTo("0x80");
    assertThat(Hex.encode(Rlp.encodeQuantity(15))).isEqualTo("0x0f");
    assertThat(Hex.encode(Rlp.encodeQuantity(1024))).isEqualTo("0x820400");
    assertThat(Hex.encode(Rlp.encodeBytes(new byte[] {0x00}))).isEqualTo("0x00");
    assertThat(Hex.encode(Rlp.encodeBytes(new byte[] {(byte) 0x80}))).isEqualTo("0x8180");
    // "Lorem ipsum dolor sit amet, consectetur adipisicing elit" is 56 bytes: long-string header.
    final byte[] lorem = "Lorem ipsum dolor sit amet, consectetur adipisicing elit".getBytes(StandardCharsets.US_ASCII);
    assertThat(Hex.encode(Rlp.encodeBytes(lorem))).startsWith("0xb8384c6f72656d");
    // The set-theoretic representation of three: [ [], [[]], [ [], [[]] ] ].
    final byte[] empty = Rlp.encodeList(List.of());
    final byte[] one = Rlp.encodeList(empty);
    assertThat(Hex.encode(Rlp.encodeList(empty, one, Rlp.encodeList(empty, one)))).isEqualTo("0xc7c0c1c0c3c0c1c0");
  }

  @Test
  void rlpRefusesNegativeIntegers() {
    assertThatThrownBy(() -> Rlp.encodeQuantity(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keccakIsTheOriginalKeccakNotSha3() {
    assertThat(Hex.encode(Keccak.keccak256(new byte[0])))
        .isEqualTo("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    assertThat(Hex.encode(Keccak.keccak256("hello".getBytes(StandardCharsets.US_ASCII))))
        .isEqualTo("0x1c8aff950685c2ed4bc3174f3472287b56d9517b9c948127319a09a7a36deac8");
    assertThat(Keccak.keccak256("hel".getBytes(StandardCharsets.US_ASCII), "lo".getBytes(StandardCharsets.US_ASCII)))
        .isEqualTo(Keccak.keccak256("hello".getBytes(StandardCharsets.US_ASCII)));
  }

  @Test
  void addressesChecksumAsEip55Examples() {
    for (final String expected : List.of(
        "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
        "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
        "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
        "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb")) {
      assertThat(EthAddress.parse(expected.toLowerCase()).toChecksumHex()).isEqualTo(expected);
      assertThat(EthAddress.parse(expected).toLowerHex()).isEqualTo(expected.toLowerCase());
    }
  }

  @Test
  void addressParsingRefusesBadChecksumsAndWrongLengths() {
    assertThat(EthAddress.parse("0x5AAEB6053F3E94C9B9A09F33669435E7EF1BEAED"))
        .isEqualTo(EthAddress.parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"));
    assertThatThrownBy(() -> EthAddress.parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD"))
        .hasMessageContaining("checksum");
    assertThatThrownBy(() -> EthAddress.parse("0x5aaeb6053f3e94c9b9a09f33669435e7ef1beae"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EthAddress.parse("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed00"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EthAddress.of(new byte[19])).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void rsvHexIsRThenSThenVEqualTo27PlusRecoveryId() {
    final RecoverableSignature signature = new RecoverableSignature(BigInteger.ONE, BigInteger.TWO, 1);
    assertThat(signature.toRsvHex())
        .hasSize(2 + 130)
        .isEqualTo("0x" + "00".repeat(31) + "01" + "00".repeat(31) + "02" + "1c");
    assertThat(signature.yParity()).isEqualTo(1);
    assertThatThrownBy(() -> new RecoverableSignature(BigInteger.ZERO, BigInteger.ONE, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RecoverableSignature(Curve.N, BigInteger.ONE, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new RecoverableSignature(BigInteger.ONE, BigInteger.ONE, 4))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
