package dev.mandate.enclave.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/** Dot paths such as {@code to.wallet}, {@code items.0.amount} or {@code items[0].amount}. */
final class FieldPath {
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_$]+");
  private static final int MAX_SEGMENTS = 16;

  private FieldPath() {}

  /** The segments, with {@code [n]} turned into {@code .n}; empty when the path is malformed. */
  static Optional<List<String>> segments(final String path) {
    final String dotted = path.replace("[", ".").replace("]", "");
    final List<String> out = new ArrayList<>();
    for (final String segment : dotted.split("\\.", -1)) {
      if (!SEGMENT.matcher(segment).matches() || out.size() == MAX_SEGMENTS) {
        return Optional.empty();
      }
      out.add(segment);
    }
    return Optional.of(List.copyOf(out));
  }

  /** An array index segment, or -1. */
  static int index(final String segment) {
    if (segment.isEmpty() || segment.length() > 9 || !segment.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return -1;
    }
    return Integer.parseInt(segment);
  }
}
