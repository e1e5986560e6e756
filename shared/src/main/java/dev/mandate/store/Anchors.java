package dev.mandate.store;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Rollback and tamper evidence for every item a store writes. Each item of the main table has an
 * <em>anchor</em> with the same key in a second table that only Mandate's own functions can write:
 * the digest of the item (key, document, version, string attributes, expiry), its version and its
 * expiry. Every write changes the item and its anchor in one transaction; every read checks the item
 * against its anchor. So an edited item, an older genuine item put back, a deleted item or a forged
 * new one is refused with {@link IntegrityViolationException}, never returned.
 *
 * <p>Only the anchor decides whether an item is live: the table writer cannot make an item vanish by
 * giving it a past expiry, nor bring one back by removing it.
 */
public final class Anchors {
  /** Attribute of an anchor item holding the item's digest. */
  static final String DIGEST = "dig";

  private Anchors() {}

  /** What the anchor table says about one key. */
  record Anchor(String digest, long version, Optional<Long> expiresAt) {
    static Anchor of(final Item item) {
      return new Anchor(Anchors.digest(item), item.version(), item.expiresAt());
    }

    boolean isExpiredAt(final long epochSecond) {
      return expiresAt.isPresent() && expiresAt.get() <= epochSecond;
    }
  }

  /**
   * Base64url SHA-256 over a length-prefixed encoding of the item's partition key, sort key,
   * document, version, string attributes (sorted by name) and expiry. Public: the format is
   * documented (docs/security.md), and tamper tests play an attacker who can write anchors too.
   */
  public static String digest(final Item item) {
    final String known = DIGESTS.get(item);
    if (known != null) {
      return known;
    }
    final String digest = compute(item);
    if (textChars(item) <= MAX_REMEMBERED_CHARS) {
      if (DIGESTS.size() >= MAX_REMEMBERED) {
        DIGESTS.clear();
      }
      DIGESTS.put(item, digest);
    }
    return digest;
  }

  /**
   * Digests by the whole item they were computed from (every field the digest covers is part of the
   * item's equality): the same items are read again on every request. Public data; bounded, cleared
   * whole when full.
   */
  private static final Map<Item, String> DIGESTS = new java.util.concurrent.ConcurrentHashMap<>();
  private static final int MAX_REMEMBERED = 4_096;
  /** The most text (document and attributes: a table writer can pad either) an item remembered carries. */
  private static final int MAX_REMEMBERED_CHARS = 4_096;

  private static long textChars(final Item item) {
    long chars = item.doc().length();
    for (final Map.Entry<String, String> attr : item.attrs().entrySet()) {
      chars += attr.getKey().length() + attr.getValue().length();
    }
    return chars;
  }

  private static String compute(final Item item) {
    final MessageDigest sha256 = sha256();
    field(sha256, Keys.partitionKey(item.appId()));
    field(sha256, Keys.sortKey(item.kind(), item.id()));
    field(sha256, item.doc());
    field(sha256, Long.toString(item.version()));
    final Map<String, String> attrs = item.attrs().size() > 1 ? new TreeMap<>(item.attrs()) : item.attrs();
    field(sha256, Integer.toString(attrs.size()));
    attrs.forEach((name, value) -> {
      field(sha256, name);
      field(sha256, value);
    });
    field(sha256, item.expiresAt().map(String::valueOf).orElse(""));
    return Base64.getUrlEncoder().withoutPadding().encodeToString(sha256.digest());
  }

  /**
   * The item a read may return, given what the main table and the anchor table hold for one key at
   * {@code now}.
   *
   * @throws IntegrityViolationException if they disagree
   */
  static Optional<Item> verify(final String kind, final String id, final Optional<Item> stored,
      final Optional<Anchor> anchor, final long now) {
    if (anchor.isEmpty()) {
      // TTL may delete the anchor before the item: an expired item without an anchor is just gone.
      if (stored.isPresent() && !stored.get().isExpiredAt(now)) {
        throw new IntegrityViolationException(kind, id, "item has no anchor");
      }
      return Optional.empty();
    }
    if (anchor.get().isExpiredAt(now)) {
      return Optional.empty();
    }
    if (stored.isEmpty()) {
      throw new IntegrityViolationException(kind, id, "anchored item is missing");
    }
    if (!anchor.get().digest().equals(digest(stored.get()))) {
      throw new IntegrityViolationException(kind, id, "item does not match its anchor");
    }
    return stored;
  }

  /** True when {@link #verify} would throw: the two tables disagree about this key. */
  static boolean disagree(final Optional<Item> stored, final Optional<Anchor> anchor, final long now) {
    try {
      verify("-", "-", stored, anchor, now);
      return false;
    } catch (IntegrityViolationException e) {
      return true;
    }
  }

  private static void field(final MessageDigest sha256, final String value) {
    final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    final int n = bytes.length;
    sha256.update(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    sha256.update(bytes);
  }

  private static MessageDigest sha256() {
    return Sha256.fresh();
  }
}
