package dev.mandate.store;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One page of a list.
 *
 * @param items at most the requested limit, in id order
 * @param nextCursor present only when more items follow; opaque and URL-safe
 */
public record Page(List<Item> items, Optional<String> nextCursor) {
  public Page {
    items = List.copyOf(items);
    Objects.requireNonNull(nextCursor, "nextCursor");
  }

  /**
   * A page from up to {@code limit + 1} collected items: the extra one only proves that more
   * follow, so the cursor points at the last item returned and the next page starts right after.
   */
  static Page of(final List<Item> collected, final int limit) {
    if (collected.size() <= limit) {
      return new Page(collected, Optional.empty());
    }
    final List<Item> items = collected.subList(0, limit);
    final Item last = items.get(limit - 1);
    return new Page(items, Optional.of(Cursors.encode(Keys.sortKey(last.kind(), last.id()))));
  }
}
