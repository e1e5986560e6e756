package dev.mandate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ItemTest {

  @Test
  void rejectsReservedOrMalformedAttributeNames() {
    for (final String name : new String[] {"pk", "sk", "doc", "ver", "ttl", "1x", "a-b", ""}) {
      assertThatThrownBy(() -> Item.of("a", "wallet", "w", "{}").withAttr(name, "v"))
          .as(name).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void rejectsKindsThatWouldBreakTheSortKey() {
    assertThatThrownBy(() -> Item.of("a", "wal#let", "w", "{}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Item.of("a", "", "w", "{}")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void indexKeysComeInPairs() {
    assertThatThrownBy(() -> Item.of("a", "user", "u", "{}").withAttr(Item.GSI1_PK, "x"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Item.of("a", "user", "u", "{}").withIndex("x", "y").attrs())
        .containsExactlyInAnyOrderEntriesOf(Map.of("gsi1pk", "x", "gsi1sk", "y"));
  }

  @Test
  void rejectsItemsOverDynamoDbsSizeLimit() {
    assertThatThrownBy(() -> Item.of("a", "blob", "b", "x".repeat(Item.MAX_ITEM_BYTES)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void attrsAreImmutable() {
    final Item item = Item.of("a", "wallet", "w", "{}").withAttr("k", "v");

    assertThatThrownBy(() -> item.attrs().put("x", "y")).isInstanceOf(UnsupportedOperationException.class);
  }
}
