package dev.mandate.enclave.records;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * A bounded memo of a pure function of text, for parsing the same stored documents on every request
 * (a hot wallet's record and its owner's quorum come back unchanged each time). Only for functions
 * whose result depends on the text alone and is immutable: the memo hands the same object to every
 * caller. A failure is not remembered. Bounded by entries, by key length (longer texts are parsed
 * each time) and by the text held in all (so an app's many large documents cannot pin tens of MB per
 * memo); cleared whole when full, so the hot path keeps no eviction bookkeeping.
 */
public final class Memo<V> {
  private final Function<String, V> function;
  private final int maxEntries;
  private final int maxKeyChars;
  private final long maxTotalChars;
  private final Map<String, V> values = new ConcurrentHashMap<>();
  /** Characters of the keys held; changed only under this memo's lock, with {@link #values}' writes. */
  private long heldChars;

  public Memo(final Function<String, V> function, final int maxEntries, final int maxKeyChars) {
    this(function, maxEntries, maxKeyChars, (long) maxEntries * maxKeyChars);
  }

  public Memo(final Function<String, V> function, final int maxEntries, final int maxKeyChars, final long maxTotalChars) {
    this.function = function;
    this.maxEntries = maxEntries;
    this.maxKeyChars = maxKeyChars;
    this.maxTotalChars = maxTotalChars;
  }

  /** {@code function(key)}, computed at most once per key while it stays in the memo. */
  public V apply(final String key) {
    if (key.length() > maxKeyChars || maxEntries == 0) {
      return function.apply(key);
    }
    final V known = values.get(key);
    if (known != null) {
      return known;
    }
    final V value = function.apply(key);
    remember(key, value);
    return value;
  }

  private synchronized void remember(final String key, final V value) {
    if (values.containsKey(key)) {
      return;
    }
    if (values.size() >= maxEntries || heldChars + key.length() > maxTotalChars) {
      values.clear();
      heldChars = 0;
    }
    values.put(key, value);
    heldChars += key.length();
  }

  /** Entries held now (for tests). */
  public int size() {
    return values.size();
  }
}
