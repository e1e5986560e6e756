package dev.mandate.enclave.authorization;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mandate.enclave.InvalidRequestException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Iterator;
import java.util.Map;

/**
 * Refuses JSON numbers that RFC 8785 cannot carry exactly. The canonical form the authorization
 * signature covers writes every number as an IEEE double (ES6 formatting), while the signer reads
 * integers exactly: {@code 9007199254740993} is signed by the owner as {@code 9007199254740992}, so a
 * relay could change a token id or the low digits of a value under a valid signature. Big values
 * travel as decimal or {@code 0x} strings, as the SDKs send them.
 *
 * <p>Refused: an integral value of magnitude above 2^53, and any number whose double (and so its
 * canonical text) differs from the number written. The tree must have been read with floats as
 * {@link BigDecimal} ({@code USE_BIG_DECIMAL_FOR_FLOATS}), or the rounding has already happened.
 */
public final class ExactNumbers {
  private static final BigInteger MAX_EXACT = BigInteger.ONE.shiftLeft(53);

  private ExactNumbers() {}

  /**
   * @throws InvalidRequestException naming the first inexact number's path, e.g.
   *     {@code params.transaction.value}
   */
  public static void check(final JsonNode root) {
    check(root, "");
  }

  private static void check(final JsonNode node, final String path) {
    if (node.isNumber() && !exact(node)) {
      throw new InvalidRequestException((path.isEmpty() ? "body" : path)
          + " is a JSON number that cannot be signed exactly (above 2^53 or not a double); send it as a decimal or 0x hex string");
    }
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        check(node.get(i), path + "[" + i + "]");
      }
    } else if (node.isObject()) {
      final Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        final Map.Entry<String, JsonNode> field = fields.next();
        check(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey());
      }
    }
  }

  static boolean exact(final JsonNode number) {
    if (number.isIntegralNumber()) {
      return number.bigIntegerValue().abs().compareTo(MAX_EXACT) <= 0;
    }
    final BigDecimal written = number.decimalValue();
    final double d = written.doubleValue();
    if (!Double.isFinite(d)) {
      return false;
    }
    // Java's Double.toString is the shortest round-tripping decimal (JDK 19+), as ES6's is.
    final BigDecimal canonical = new BigDecimal(Double.toString(d));
    if (canonical.compareTo(written) != 0) {
      return false;
    }
    final boolean integral = canonical.signum() == 0 || canonical.stripTrailingZeros().scale() <= 0;
    return !integral || canonical.toBigInteger().abs().compareTo(MAX_EXACT) <= 0;
  }
}
