package dev.mandate.store;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Argument checks both stores apply identically, so they fail the same way. */
final class Writes {
  private Writes() {}

  static void checkTransaction(final List<Update> updates) {
    if (updates.size() > Store.MAX_TRANSACTION_SIZE) {
      throw new IllegalArgumentException("at most " + Store.MAX_TRANSACTION_SIZE + " writes per transaction");
    }
    final Set<List<String>> seen = new HashSet<>();
    for (final Update update : updates) {
      if (!seen.add(List.of(update.appId(), update.kind(), update.id()))) {
        // DynamoDB rejects a transaction naming one item twice; fail before any I/O either way.
        throw new IllegalArgumentException("a transaction may write " + update.kind() + " '" + update.id() + "' only once");
      }
    }
  }

  static void checkList(final String appId, final String kind, final int limit, final Map<String, String> attrEquals) {
    Item.checkKey(appId, kind, "-");
    if (limit < 1 || limit > Store.MAX_PAGE_SIZE) {
      throw new IllegalArgumentException("limit must be between 1 and " + Store.MAX_PAGE_SIZE);
    }
    attrEquals.forEach((name, value) -> {
      Item.checkAttrName(name);
      if (value == null) {
        throw new IllegalArgumentException("filter value of " + name + " is null");
      }
    });
  }

  static void checkIndexKey(final String gsi1pk, final String gsi1sk) {
    if (gsi1pk == null || gsi1pk.isEmpty() || gsi1sk == null || gsi1sk.isEmpty()) {
      throw new IllegalArgumentException("index keys must not be empty");
    }
  }
}
