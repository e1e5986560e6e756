package dev.mandate.store;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One record of one app, as the store sees it: an opaque JSON document plus a few top-level string
 * attributes for filters and the {@code gsi1} index. The store never reads the document.
 *
 * <p>The version is assigned by the store: a create writes 1 and an update writes the expected
 * version plus one, whatever the item passed in says. Read items carry their stored version.
 *
 * @param appId the owning app; items of different apps never see each other
 * @param kind record type, e.g. {@code wallet}; letters, digits, {@code _ - .}, no {@code #}
 * @param id unique within (appId, kind)
 * @param doc the JSON document (may be empty, never null)
 * @param version optimistic-locking version, 0 for an item not yet stored
 * @param attrs extra top-level string attributes; {@code gsi1pk}/{@code gsi1sk} (both or neither)
 *     index the item in {@code gsi1}
 * @param expiresAt epoch seconds after which the item counts as gone (DynamoDB TTL attribute)
 */
public record Item(String appId, String kind, String id, String doc, long version, Map<String, String> attrs,
    Optional<Long> expiresAt) {
  /** Attribute name of the index partition key, set through {@link #attrs}. */
  public static final String GSI1_PK = TableSchema.GSI1_PK;
  /** Attribute name of the index sort key, set through {@link #attrs}. */
  public static final String GSI1_SK = TableSchema.GSI1_SK;
  /** DynamoDB's item size limit; checked here so every store fails the same way. */
  static final int MAX_ITEM_BYTES = 400 * 1024;
  private static final Pattern KIND = Pattern.compile("[A-Za-z0-9_.-]{1,64}");
  private static final Pattern ATTR_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
  private static final Set<String> RESERVED = Set.of(
      TableSchema.PK, TableSchema.SK, TableSchema.DOC, TableSchema.VER, TableSchema.TTL);
  private static final int MAX_ID_CHARS = 512;

  public Item {
    checkKey(appId, kind, id);
    Objects.requireNonNull(doc, "doc");
    if (version < 0) {
      throw new IllegalArgumentException("version must not be negative");
    }
    attrs = Map.copyOf(attrs);
    attrs.keySet().forEach(Item::checkAttrName);
    checkIndexAttrs(attrs);
    Objects.requireNonNull(expiresAt, "expiresAt");
    checkSize(doc, attrs);
  }

  /** An item without attributes or expiry. */
  public Item(final String appId, final String kind, final String id, final String doc, final long version,
      final Map<String, String> attrs) {
    this(appId, kind, id, doc, version, attrs, Optional.empty());
  }

  /** A new item (version 0) to pass to a create. */
  public static Item of(final String appId, final String kind, final String id, final String doc) {
    return new Item(appId, kind, id, doc, 0, Map.of(), Optional.empty());
  }

  public Item withDoc(final String newDoc) {
    return new Item(appId, kind, id, newDoc, version, attrs, expiresAt);
  }

  /** Replaces all attributes (an update writes exactly these; absent ones are removed). */
  public Item withAttrs(final Map<String, String> newAttrs) {
    return new Item(appId, kind, id, doc, version, newAttrs, expiresAt);
  }

  /** Adds or replaces one attribute. */
  public Item withAttr(final String name, final String value) {
    final Map<String, String> copy = new HashMap<>(attrs);
    copy.put(name, value);
    return withAttrs(copy);
  }

  /** Indexes the item in {@code gsi1} under (pk, sk). */
  public Item withIndex(final String gsi1pk, final String gsi1sk) {
    final Map<String, String> copy = new HashMap<>(attrs);
    copy.put(GSI1_PK, gsi1pk);
    copy.put(GSI1_SK, gsi1sk);
    return withAttrs(copy);
  }

  public Item withExpiresAt(final Instant at) {
    return new Item(appId, kind, id, doc, version, attrs, Optional.of(at.getEpochSecond()));
  }

  public Item withoutExpiry() {
    return new Item(appId, kind, id, doc, version, attrs, Optional.empty());
  }

  Item withVersion(final long newVersion) {
    return new Item(appId, kind, id, doc, newVersion, attrs, expiresAt);
  }

  public Optional<String> attr(final String name) {
    return Optional.ofNullable(attrs.get(name));
  }

  /** True when the item's TTL has passed at {@code epochSecond}: it then counts as absent. */
  public boolean isExpiredAt(final long epochSecond) {
    return expiresAt.isPresent() && expiresAt.get() <= epochSecond;
  }

  /** Validates an item key, so bad keys fail the same way in every store before any I/O. */
  static void checkKey(final String appId, final String kind, final String id) {
    requireText(appId, "appId");
    checkKind(kind);
    requireText(id, "id");
    if (id.length() > MAX_ID_CHARS || appId.length() > MAX_ID_CHARS) {
      throw new IllegalArgumentException("appId and id must be at most " + MAX_ID_CHARS + " characters");
    }
  }

  static void checkKind(final String kind) {
    if (kind == null || !KIND.matcher(kind).matches()) {
      throw new IllegalArgumentException("kind must match " + KIND.pattern());
    }
  }

  /** True for a name {@link #checkAttrName} accepts. */
  static boolean isAttrName(final String name) {
    return ATTR_NAME.matcher(name).matches() && !RESERVED.contains(name);
  }

  /** Validates a name usable in {@link #attrs} or a list filter. */
  static void checkAttrName(final String name) {
    if (name == null || !ATTR_NAME.matcher(name).matches() || RESERVED.contains(name)) {
      throw new IllegalArgumentException("attribute name must match " + ATTR_NAME.pattern()
          + " and not be one of " + RESERVED + ": " + name);
    }
  }

  private static void checkIndexAttrs(final Map<String, String> attrs) {
    final boolean pk = attrs.containsKey(GSI1_PK);
    final boolean sk = attrs.containsKey(GSI1_SK);
    // One without the other would silently leave the item out of the index.
    if (pk != sk) {
      throw new IllegalArgumentException(GSI1_PK + " and " + GSI1_SK + " must be set together");
    }
    if (pk && (attrs.get(GSI1_PK).isEmpty() || attrs.get(GSI1_SK).isEmpty())) {
      throw new IllegalArgumentException("index keys must not be empty");
    }
  }

  private static void checkSize(final String doc, final Map<String, String> attrs) {
    long bytes = utf8Length(doc) + 64L;
    for (final Map.Entry<String, String> attr : attrs.entrySet()) {
      bytes += utf8Length(attr.getKey()) + utf8Length(attr.getValue());
    }
    if (bytes > MAX_ITEM_BYTES) {
      throw new IllegalArgumentException("item exceeds DynamoDB's 400 KB limit");
    }
  }

  /** UTF-8 length without encoding (items are rebuilt by every {@code with*} call). */
  private static long utf8Length(final String s) {
    long bytes = 0;
    for (int i = 0; i < s.length(); i++) {
      final char c = s.charAt(i);
      // A surrogate pair is 4 bytes in UTF-8: 2 per half.
      bytes += c < 0x80 ? 1 : c < 0x800 || Character.isSurrogate(c) ? 2 : 3;
    }
    return bytes;
  }

  private static void requireText(final String value, final String name) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(name + " must not be empty");
    }
  }
}
