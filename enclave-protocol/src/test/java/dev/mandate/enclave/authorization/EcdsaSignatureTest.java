package dev.mandate.enclave.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class EcdsaSignatureTest {
  private static final HexFormat HEX = HexFormat.of();
  private static final String R = "2ba3a8be6b94d5ec80a6d9d1190a436effe50d85a1eee859b8cc6af9bd5c2e18";
  private static final String S_HIGH_BIT = "b329f479a2bbd0a5c384ee1493b1f5186a87139cac5df4087c134b49156847db";

  @Test
  void decodesMinimalDer() {
    final EcdsaSignature signature =
        EcdsaSignature.fromDer(HEX.parseHex("3045" + "0220" + R + "022100" + S_HIGH_BIT)).orElseThrow();

    assertThat(signature.r()).isEqualTo(new BigInteger(R, 16));
    assertThat(signature.s()).isEqualTo(new BigInteger(S_HIGH_BIT, 16));
  }

  @Test
  void refusesAZeroPaddedIntegerThatNeedsNoPadding() {
    // Same value, one needless 00: BER would take it, DER must not (signature malleability).
    assertThat(EcdsaSignature.fromDer(HEX.parseHex("3046" + "022100" + R + "022100" + S_HIGH_BIT))).isEmpty();
  }

  @Test
  void refusesANegativeInteger() {
    assertThat(EcdsaSignature.fromDer(HEX.parseHex("3044" + "0220" + R + "0220" + S_HIGH_BIT))).isEmpty();
  }

  @Test
  void refusesZeroAndOrderSizedValues() {
    final String n = P256PublicKey.ORDER.toString(16);

    assertThat(EcdsaSignature.fromDer(HEX.parseHex("3025" + "020100" + "0220" + R))).isEmpty();
    assertThat(EcdsaSignature.fromDer(HEX.parseHex("3045" + "0220" + R + "022100" + n))).isEmpty();
    assertThat(EcdsaSignature.fromP1363(HEX.parseHex(R + n))).isEmpty();
    assertThat(EcdsaSignature.fromP1363(HEX.parseHex(R + "00".repeat(32)))).isEmpty();
  }

  @Test
  void refusesWrongLengthsAndTrailingBytes() {
    assertThat(EcdsaSignature.fromDer(HEX.parseHex("3045" + "0220" + R + "022100" + S_HIGH_BIT + "00"))).isEmpty();
    assertThat(EcdsaSignature.fromDer(HEX.parseHex("3046" + "0220" + R + "022100" + S_HIGH_BIT))).isEmpty();
    assertThat(EcdsaSignature.fromDer(null)).isEmpty();
    assertThat(EcdsaSignature.fromP1363(HEX.parseHex(R + S_HIGH_BIT + "00"))).isEmpty();
    assertThat(EcdsaSignature.fromP1363(HEX.parseHex(R + S_HIGH_BIT))).isPresent();
  }
}
