package dev.mandate.store;

/**
 * One conditional write inside {@link Store#updateAll}: all of them happen, or none.
 * Each names one item; a transaction may name an item only once.
 */
public sealed interface Update {
  String appId();

  String kind();

  String id();

  /** Creates {@code item} (version 1); fails with {@link ItemExistsException} if it exists. */
  static Update create(final Item item) {
    return new Create(item);
  }

  /** Replaces the stored item, which must be at {@code expectedVersion}; writes version + 1. */
  static Update replace(final Item item, final long expectedVersion) {
    return new Replace(item, expectedVersion);
  }

  /** Deletes the item, which must be at {@code expectedVersion}. */
  static Update delete(final String appId, final String kind, final String id, final long expectedVersion) {
    return new Delete(appId, kind, id, expectedVersion);
  }

  /** Writes nothing, but fails the transaction unless the item is at {@code expectedVersion}. */
  static Update check(final String appId, final String kind, final String id, final long expectedVersion) {
    return new Check(appId, kind, id, expectedVersion);
  }

  /** A write of a whole item: the item names what it writes. */
  sealed interface OfItem extends Update permits Create, Replace {
    Item item();

    @Override
    default String appId() {
      return item().appId();
    }

    @Override
    default String kind() {
      return item().kind();
    }

    @Override
    default String id() {
      return item().id();
    }
  }

  /** See {@link Update#create}. */
  record Create(Item item) implements OfItem {
  }

  /** See {@link Update#replace}. */
  record Replace(Item item, long expectedVersion) implements OfItem {
  }

  /** See {@link Update#delete}. */
  record Delete(String appId, String kind, String id, long expectedVersion) implements Update {
    public Delete {
      Item.checkKey(appId, kind, id);
    }
  }

  /** See {@link Update#check}. */
  record Check(String appId, String kind, String id, long expectedVersion) implements Update {
    public Check {
      Item.checkKey(appId, kind, id);
    }
  }
}
