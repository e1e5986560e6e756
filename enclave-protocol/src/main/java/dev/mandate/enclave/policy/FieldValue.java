package dev.mandate.enclave.policy;

import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * One field of a request as the engine reads it: its text and what kind of value it is. The kind
 * decides how it compares with a condition's value (strings from the policy):
 *
 * <ul>
 *   <li>{@code NUMBER}: as arbitrary-size integers, each side decimal or {@code 0x} hex;
 *   <li>{@code ADDRESS}, {@code BOOL}: case-insensitively (Privy compares EVM addresses that way
 *       in practice, despite its docs);
 *   <li>{@code BYTES}: case-insensitively, {@code 0x} optional;
 *   <li>{@code TEXT}: exactly.
 * </ul>
 *
 * Only numbers are ordered; {@code gt}/{@code lt}/… on anything else never hold. {@code contains},
 * {@code starts_with} and {@code ends_with} test text exactly (case-sensitive) and addresses and
 * bytes case-insensitively on their hex digits ({@code 0x} ignored on both sides); the parser refuses
 * them on numbers and booleans.
 *
 * @param kind how to compare
 * @param text the value; for numbers, decimal
 */
public record FieldValue(Kind kind, String text) {
  public enum Kind {
    NUMBER,
    ADDRESS,
    BOOL,
    BYTES,
    TEXT
  }

  /** Whether {@code value} is a value of {@code kind} as a policy may write it (a field of that kind can equal it). */
  public static boolean wellFormed(final Kind kind, final String value) {
    return switch (kind) {
      case NUMBER -> Numbers.parse(value).isPresent();
      case ADDRESS -> Numbers.isAddress(value);
      case BOOL -> value.toLowerCase(java.util.Locale.ROOT).matches("true|false");
      case BYTES -> Numbers.isHexBytes(value);
      case TEXT -> true;
    };
  }

  public static FieldValue number(final BigInteger value) {
    return new FieldValue(Kind.NUMBER, value.toString());
  }

  /** Whether this value satisfies {@code operator} against {@code values} (one, or the set/list). */
  public boolean satisfies(final Operator operator, final List<String> values) {
    return switch (operator) {
      case EQ, IN, IN_CONDITION_SET -> values.stream().anyMatch(this::sameAs);
      case GT -> compareTo(values).map(c -> c > 0).orElse(false);
      case GTE -> compareTo(values).map(c -> c >= 0).orElse(false);
      case LT -> compareTo(values).map(c -> c < 0).orElse(false);
      case LTE -> compareTo(values).map(c -> c <= 0).orElse(false);
      case CONTAINS -> substring(values.get(0), String::contains);
      case STARTS_WITH -> substring(values.get(0), String::startsWith);
      case ENDS_WITH -> substring(values.get(0), String::endsWith);
    };
  }

  private boolean substring(final String fragment, final java.util.function.BiPredicate<String, String> test) {
    return switch (kind) {
      case TEXT -> test.test(text, fragment);
      case ADDRESS, BYTES -> test.test(stripHexPrefix(text).toLowerCase(java.util.Locale.ROOT),
          stripHexPrefix(fragment).toLowerCase(java.util.Locale.ROOT));
      case NUMBER, BOOL -> false;
    };
  }

  /** Equality under this kind's rules. */
  public boolean sameAs(final String other) {
    return switch (kind) {
      case NUMBER -> Numbers.parse(other).filter(n -> Numbers.parse(text).filter(n::equals).isPresent()).isPresent();
      case ADDRESS, BOOL -> text.equalsIgnoreCase(other);
      case BYTES -> stripHexPrefix(text).equalsIgnoreCase(stripHexPrefix(other));
      case TEXT -> text.equals(other);
    };
  }

  private Optional<Integer> compareTo(final List<String> values) {
    if (kind != Kind.NUMBER || values.size() != 1) {
      return Optional.empty();
    }
    final Optional<BigInteger> mine = Numbers.parse(text);
    final Optional<BigInteger> theirs = Numbers.parse(values.get(0));
    return mine.isPresent() && theirs.isPresent() ? Optional.of(mine.get().compareTo(theirs.get())) : Optional.empty();
  }

  private static String stripHexPrefix(final String text) {
    return Numbers.hasHexPrefix(text) ? text.substring(2) : text;
  }
}
