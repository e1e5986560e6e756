package dev.mandate.store;

import java.util.Comparator;

/** The table's key layout: {@code pk = app#<appId>}, {@code sk = <kind>#<id>}. */
final class Keys {
  static final String APP_PREFIX = "app#";

  /**
   * DynamoDB orders string keys by their UTF-8 bytes, which is code point order; Java's
   * {@code String.compareTo} (UTF-16 units) differs above U+FFFF. The in-memory store uses this
   * so both stores page in the same order.
   */
  static final Comparator<String> SORT_ORDER = (a, b) -> {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      final int ca = a.codePointAt(i);
      final int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  };

  private Keys() {}

  static String partitionKey(final String appId) {
    return APP_PREFIX + appId;
  }

  static String appId(final String partitionKey) {
    if (!partitionKey.startsWith(APP_PREFIX)) {
      throw new IllegalStateException("not an app partition key");
    }
    return partitionKey.substring(APP_PREFIX.length());
  }

  static String sortKey(final String kind, final String id) {
    return sortKeyPrefix(kind) + id;
  }

  static String sortKeyPrefix(final String kind) {
    return kind + "#";
  }

  /** [kind, id]; kinds never contain {@code #}, ids may. */
  static String[] kindAndId(final String sortKey) {
    final int hash = sortKey.indexOf('#');
    if (hash <= 0) {
      throw new IllegalStateException("not an item sort key");
    }
    return new String[] {sortKey.substring(0, hash), sortKey.substring(hash + 1)};
  }
}
