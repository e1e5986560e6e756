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
  void canonicalizesRandomTreesExactlyLikeTheReferenceDoesTheirText() throws IOException {
    final ObjectMapper mapper = new ObjectMapper()
        .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    final java.util.Random random = new java.util.Random(8785);
    for (int i = 0; i < 3_000; i++) {
      final com.fasterxml.jackson.databind.JsonNode tree = randomTree(random, 0);
      final String text = mapper.writeValueAsString(tree);

      assertThat(new String(Jcs.canonicalize(tree), StandardCharsets.UTF_8)).as(text)
          .isEqualTo(new String(Jcs.canonicalize(text), StandardCharsets.UTF_8));
      assertThat(Jcs.canonicalize(mapper.readTree(text))).as(text).isEqualTo(Jcs.canonicalize(text));
    }
  }

  private static com.fasterxml.jackson.databind.JsonNode randomTree(final java.util.Random random, final int depth) {
    final var nodes = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance;
    if (depth == 0 || (depth < 4 && random.nextInt(3) == 0)) {
      final boolean object = depth == 0 ? random.nextBoolean() : random.nextInt(2) == 0;
      final int size = random.nextInt(5);
      if (object) {
        final var node = nodes.objectNode();
        for (int i = 0; i < size; i++) {
          node.set(randomString(random), randomTree(random, depth + 1));
        }
        return node;
      }
      final var node = nodes.arrayNode();
      for (int i = 0; i < size; i++) {
        node.add(randomTree(random, depth + 1));
      }
      return node;
    }
    return switch (random.nextInt(9)) {
      case 0 -> nodes.textNode(randomString(random));
      case 1 -> nodes.numberNode(random.nextLong() >> random.nextInt(64));
      case 2 -> nodes.numberNode(Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL) * (random.nextBoolean() ? 1 : -1));
      case 3 -> nodes.numberNode(new java.math.BigDecimal(java.math.BigInteger.valueOf(random.nextLong()), random.nextInt(60) - 30));
      case 4 -> nodes.numberNode(new java.math.BigInteger(100, random));
      case 5 -> nodes.numberNode(random.nextFloat() * 1000);
      case 6 -> nodes.booleanNode(random.nextBoolean());
      case 7 -> nodes.nullNode();
      default -> nodes.numberNode(random.nextInt(2000) - 1000);
    };
  }

  private static String randomString(final java.util.Random random) {
    final String alphabet = "aZ09 \"\\/\b\f\n\r\t\u0000\u0001\u001f\u007f\u00e9\u2028\uFB33\uD800\uDC00\uDBFF\uDFFF\uFFFF";
    final StringBuilder out = new StringBuilder();
    final int length = random.nextInt(8);
    for (int i = 0; i < length; i++) {
      out.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return out.toString();
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
