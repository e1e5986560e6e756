package dev.mandate.enclave.authorization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mandate.enclave.InvalidRequestException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.erdtman.jcs.NumberToJSON;
import org.junit.jupiter.api.Test;

class JcsTest {
  private static final List<String> CYBERPHONE_CASES =
      List.of("arrays", "french", "structures", "unicode", "values", "weird");

  @Test
  void canonicalizesEveryCyberphoneCaseByteForByte() throws IOException {
    int checked = 0;
    for (final String name : CYBERPHONE_CASES) {
      final byte[] actual = Jcs.canonicalize(new String(resource("input/" + name + ".json"), StandardCharsets.UTF_8));

      assertThat(actual).as(name).isEqualTo(resource("output/" + name + ".json"));
      assertThat(actual).as(name + " (hex)").isEqualTo(fromSpacedHex(resource("outhex/" + name + ".txt")));
      checked++;
    }
    assertThat(checked).isEqualTo(6);
  }

  @Test
  void canonicalizesAJacksonTreeLikeItsText() throws IOException {
    for (final String name : CYBERPHONE_CASES) {
      final String input = new String(resource("input/" + name + ".json"), StandardCharsets.UTF_8);

      assertThat(Jcs.canonicalize(new ObjectMapper().readTree(input))).as(name).isEqualTo(resource("output/" + name + ".json"));
    }
  }

  @Test
  void serializesEveryEs6NumberVectorExactly() throws IOException {
    final List<String> mismatches = new ArrayList<>();
    int lines = 0;
    try (BufferedReader reader = new BufferedReader(new InputStreamReader(stream("es6-numbers.txt"), StandardCharsets.US_ASCII))) {
      for (String line = reader.readLine(); line != null; line = reader.readLine()) {
        final int comma = line.indexOf(',');
        final double value = Double.longBitsToDouble(Long.parseUnsignedLong(line.substring(0, comma), 16));
        final String expected = line.substring(comma + 1);
        if (!NumberToJSON.serializeNumber(value).equals(expected)) {
          mismatches.add(line);
        }
        lines++;
      }
    }
    assertThat(mismatches).isEmpty();
    assertThat(lines).isEqualTo(22_170);
  }

  @Test
  void writesNumbersAsEs6DoesNotAsJavaDoes() {
    final String canonical = new String(
        Jcs.canonicalize("{\"b\":1E21,\"a\":100000,\"c\":1.0E-7,\"d\":-0,\"e\":4.50,\"f\":12345678901234567890}"),
        StandardCharsets.UTF_8);

    assertThat(canonical).isEqualTo("{\"a\":100000,\"b\":1e+21,\"c\":1e-7,\"d\":0,\"e\":4.5,\"f\":12345678901234567000}");
  }

  @Test
  void sortsKeysByUtf16CodeUnits() {
    // U+10000 is the surrogate pair D800 DC00, which sorts before U+FB33 in UTF-16 but not by code point.
    final String canonical = new String(Jcs.canonicalize("{\"\uFB33\":1,\"\uD800\uDC00\":2}"), StandardCharsets.UTF_8);

    assertThat(canonical).isEqualTo("{\"\uD800\uDC00\":2,\"\uFB33\":1}");
  }

  @Test
  void refusesMalformedJson() {
    assertThatThrownBy(() -> Jcs.canonicalize("{\"a\":")).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> Jcs.canonicalize("{\"a\":1}}")).isInstanceOf(InvalidRequestException.class);
    assertThatThrownBy(() -> Jcs.canonicalize("")).isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void refusesDuplicatePropertyNames() {
    assertThatThrownBy(() -> Jcs.canonicalize("{\"a\":1,\"a\":2}"))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("Duplicate");
  }

  private static byte[] fromSpacedHex(final byte[] text) {
    return HexFormat.of().parseHex(new String(text, StandardCharsets.US_ASCII).replaceAll("\\s+", ""));
  }

  private static byte[] resource(final String path) throws IOException {
    try (InputStream in = stream(path)) {
      return in.readAllBytes();
    }
  }

  private static InputStream stream(final String path) {
    final InputStream in = JcsTest.class.getResourceAsStream("/vectors/jcs/" + path);
    assertThat(in).as(path).isNotNull();
    return in;
  }
}
