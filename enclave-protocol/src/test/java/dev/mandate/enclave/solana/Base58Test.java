package dev.mandate.enclave.solana;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Base58Test {
  @Test
  void zeroBytesAreOnesAndKnownValuesRoundTrip() {
    assertThat(Base58.encode(new byte[32])).isEqualTo("11111111111111111111111111111111");
    assertThat(Base58.decode("11111111111111111111111111111111")).hasValueSatisfying(b -> assertThat(b).isEqualTo(new byte[32]));
    // Bitcoin's base58 test vectors (base58_encode_decode.json in bitcoin/bitcoin).
    assertThat(Base58.encode(HexFormat.of().parseHex("0000287fb4cd"))).isEqualTo("11233QC4");
    assertThat(Base58.encode(HexFormat.of().parseHex("61"))).isEqualTo("2g");
    assertThat(Base58.encode(new byte[0])).isEmpty();
    final byte[] token = Base58.decodePublicKey("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA").orElseThrow();
    assertThat(Base58.encode(token)).isEqualTo("TokenkegQfeZyiNwAJbNbGKPFXCWuBvf9Ss623VQ5DA");
  }

  @Test
  void randomBytesRoundTripAndMatchABigIntegerReference() {
    final java.util.Random random = new java.util.Random(42);
    for (int i = 0; i < 2000; i++) {
      final byte[] bytes = new byte[random.nextInt(65)];
      random.nextBytes(bytes);
      if (random.nextBoolean() && bytes.length > 2) {
        bytes[0] = 0;
        bytes[1] = 0;
      }
      final String encoded = Base58.encode(bytes);
      assertThat(encoded).isEqualTo(reference(bytes));
      assertThat(Base58.decode(encoded)).hasValueSatisfying(b -> assertThat(b).isEqualTo(bytes));
    }
  }

  private static String reference(final byte[] bytes) {
    final String alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
    java.math.BigInteger n = new java.math.BigInteger(1, bytes);
    final StringBuilder out = new StringBuilder();
    while (n.signum() > 0) {
      out.append(alphabet.charAt(n.mod(java.math.BigInteger.valueOf(58)).intValue()));
      n = n.divide(java.math.BigInteger.valueOf(58));
    }
    for (int i = 0; i < bytes.length && bytes[i] == 0; i++) {
      out.append('1');
    }
    return out.reverse().toString();
  }

  @Test
  void charactersOutsideTheAlphabetAndWrongLengthsAreRefused() {
    assertThat(Base58.decode("0OIl")).isEmpty();
    assertThat(Base58.decode("abc!")).isEmpty();
    assertThat(Base58.decode("é")).isEmpty();
    assertThat(Base58.decode("1".repeat(200))).isEmpty();
    assertThat(Base58.decodePublicKey("2g")).isEmpty();
  }
}
