package dev.mandate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The anchor-digest memo against the table writer: they cannot change what a read accepts, and
 * cannot make the host hold more text than the documented bound by padding items they edit with
 * large attributes (an item may carry ~400 KB of them; the memo limits only the document).
 */
class AnchorsMemoTest {
  /** What the memo may hold in all: 4,096 entries of at most 4,096 characters (docs/security.md). */
  private static final long MAX_HELD_CHARS = 4_096L * 4_096;

  @Test
  void editedItemsPaddedWithLargeAttributesAreRefusedAndNotHeldInFull() throws Exception {
    final Item genuine = new Item("memoapp", "wallet", "w1", "{\"id\":\"w1\"}", 3, Map.of());
    final Anchors.Anchor anchor = new Anchors.Anchor(Anchors.digest(genuine), 3, Optional.empty());
    final String padding = "x".repeat(100_000);
    for (int i = 0; i < 250; i++) {
      final Item edited = genuine.withAttr("pad", i + padding);
      assertThatThrownBy(() -> Anchors.verify("wallet", "w1", Optional.of(edited), Optional.of(anchor), 0))
          .isInstanceOf(IntegrityViolationException.class);
    }
    assertThat(Anchors.verify("wallet", "w1", Optional.of(genuine), Optional.of(anchor), 0)).contains(genuine);
    assertThat(heldChars()).isLessThanOrEqualTo(MAX_HELD_CHARS);
  }

  private static long heldChars() throws Exception {
    final Field field = Anchors.class.getDeclaredField("DIGESTS");
    field.setAccessible(true);
    long chars = 0;
    for (final Object key : ((Map<?, ?>) field.get(null)).keySet()) {
      final Item item = (Item) key;
      chars += item.doc().length();
      for (final Map.Entry<String, String> attr : item.attrs().entrySet()) {
        chars += attr.getKey().length() + attr.getValue().length();
      }
    }
    return chars;
  }
}
