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
  void charactersOutsideTheAlphabetAndWrongLengthsAreRefused() {
    assertThat(Base58.decode("0OIl")).isEmpty();
    assertThat(Base58.decode("abc!")).isEmpty();
    assertThat(Base58.decode("é")).isEmpty();
    assertThat(Base58.decode("1".repeat(200))).isEmpty();
    assertThat(Base58.decodePublicKey("2g")).isEmpty();
  }
}
