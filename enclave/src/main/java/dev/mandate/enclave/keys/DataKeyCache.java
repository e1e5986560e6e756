package dev.mandate.enclave.keys;

import dev.mandate.config.Settings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Plaintext KMS data keys the enclave already unwrapped (or just generated), so a hot wallet signs
 * without a KMS call. Bounded by count ({@value #MAX_ENTRIES_SETTING}) and by age since KMS handed
 * the key out ({@value #TTL_SECONDS_SETTING}, not extended by use); either set to 0 disables it.
 *
 * <p>An entry is found only under the exact wrapped data key it came from: the KMS key ARN, the
 * encrypted data key blob and the whole encryption context (purpose, app, wallet). A record carrying
 * another record's blob, or the same blob under another context, misses and goes to KMS, which
 * refuses it as before. Evicted, expired and cleared keys are overwritten with zeros. Callers get a
 * copy they must wipe. Thread-safe.
 */
final class DataKeyCache {
  /** Most data keys held; 0 disables the cache. */
  static final String MAX_ENTRIES_SETTING = "MANDATE_KEY_CACHE_MAX_ENTRIES";
  /** Seconds a data key is held after KMS handed it out; 0 disables the cache. */
  static final String TTL_SECONDS_SETTING = "MANDATE_KEY_CACHE_TTL_SECONDS";
  static final int DEFAULT_MAX_ENTRIES = 1_000;
  static final int DEFAULT_TTL_SECONDS = 300;
  private static final Base64.Encoder B64 = Base64.getEncoder();

  private final int maxEntries;
  private final Duration ttl;
  private final Clock clock;
  /** Insertion order = age order: the eldest entry is the first to expire. */
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();

  private record Entry(byte[] key, Instant expires) {}

  DataKeyCache(final int maxEntries, final Duration ttl, final Clock clock) {
    if (maxEntries < 0 || ttl.isNegative()) {
      throw new IllegalArgumentException("key cache bounds must not be negative");
    }
    this.maxEntries = maxEntries;
    this.ttl = ttl;
    this.clock = clock;
  }

  /** From {@value #MAX_ENTRIES_SETTING} and {@value #TTL_SECONDS_SETTING}. */
  static DataKeyCache fromEnvironment() {
    final int max = Settings.getInt(MAX_ENTRIES_SETTING, DEFAULT_MAX_ENTRIES);
    final int seconds = Settings.getInt(TTL_SECONDS_SETTING, DEFAULT_TTL_SECONDS);
    if (max < 0 || seconds < 0) {
      throw new IllegalStateException(MAX_ENTRIES_SETTING + " and " + TTL_SECONDS_SETTING + " must be 0 (off) or positive");
    }
    return new DataKeyCache(max, Duration.ofSeconds(seconds), Clock.systemUTC());
  }

  static DataKeyCache disabled() {
    return new DataKeyCache(0, Duration.ZERO, Clock.systemUTC());
  }

  boolean enabled() {
    return maxEntries > 0 && !ttl.isZero();
  }

  /** The cache key: everything KMS checks before it hands out the plaintext. */
  static String keyOf(final String masterKeyId, final byte[] encryptedDataKey, final KeyContext context) {
    return masterKeyId + '\n' + B64.encodeToString(encryptedDataKey) + '\n' + B64.encodeToString(context.aad());
  }

  /** A copy of the data key cached under {@code key}, unless absent or expired. */
  synchronized Optional<byte[]> get(final String key) {
    if (!enabled()) {
      return Optional.empty();
    }
    final Instant now = clock.instant();
    dropExpired(now);
    final Entry entry = entries.get(key);
    return entry == null ? Optional.empty() : Optional.of(entry.key().clone());
  }

  /** Holds a copy of {@code dataKey} under {@code key}; the caller still owns (and wipes) its array. */
  synchronized void put(final String key, final byte[] dataKey) {
    if (!enabled()) {
      return;
    }
    final Instant now = clock.instant();
    dropExpired(now);
    final Entry previous = entries.remove(key);
    if (previous != null) {
      Aead.wipe(previous.key());
    }
    entries.put(key, new Entry(dataKey.clone(), now.plus(ttl)));
    while (entries.size() > maxEntries) {
      removeEldest();
    }
  }

  /** Wipes and forgets every key (e.g. before a SnapStart snapshot). */
  synchronized void clear() {
    entries.values().forEach(entry -> Aead.wipe(entry.key()));
    entries.clear();
  }

  synchronized int size() {
    return entries.size();
  }

  private void dropExpired(final Instant now) {
    final Iterator<Map.Entry<String, Entry>> eldest = entries.entrySet().iterator();
    while (eldest.hasNext()) {
      final Entry entry = eldest.next().getValue();
      if (now.isBefore(entry.expires())) {
        return;
      }
      Aead.wipe(entry.key());
      eldest.remove();
    }
  }

  private void removeEldest() {
    final Iterator<Map.Entry<String, Entry>> eldest = entries.entrySet().iterator();
    Aead.wipe(eldest.next().getValue().key());
    eldest.remove();
  }
}
