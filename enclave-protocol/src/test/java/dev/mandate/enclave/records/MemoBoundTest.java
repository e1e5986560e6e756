package dev.mandate.enclave.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The parsed-record memos are shared by every app a function serves, and there are a dozen of them
 * (three record types here, one per kind in the host's reference memo): each must hold a bounded
 * amount of text, not 1,024 documents of up to 4,096 characters (4M characters, up to 8 MB).
 */
class MemoBoundTest {
  /** Document text one memo may hold at most: 4 MB even in UTF-16. */
  private static final long MAX_HELD_CHARS = 2_000_000;

  @Test
  void aRecordMemoHoldsABoundedAmountOfTextWhateverTheDocuments() throws Exception {
    final String padding = "x".repeat(4_000); // documents just below the per-entry limit (4,096)
    for (int i = 0; i < 3_000; i++) {
      WalletRecord.fromDoc("{\"id\":\"w" + i + "\",\"address\":\"0x00\",\"chain_type\":\"ethereum\",\"display_name\":\""
          + padding + "\",\"created_at\":" + i + "}");
      assertThat(heldChars(memo(WalletRecord.class))).as("after %d documents", i + 1).isLessThanOrEqualTo(MAX_HELD_CHARS);
    }
  }

  @Test
  void smallDocumentsAreStillRememberedWhileTheBoundHolds() {
    final String doc = "{\"id\":\"small\",\"address\":\"0x00\",\"chain_type\":\"ethereum\",\"created_at\":1}";
    assertThat(WalletRecord.fromDoc(doc)).isSameAs(WalletRecord.fromDoc(new String(doc)));
  }

  private static Memo<?> memo(final Class<?> type) throws Exception {
    final Field field = type.getDeclaredField("PARSED");
    field.setAccessible(true);
    return (Memo<?>) field.get(null);
  }

  private static long heldChars(final Memo<?> memo) throws Exception {
    final Field field = Memo.class.getDeclaredField("values");
    field.setAccessible(true);
    return ((Map<?, ?>) field.get(memo)).keySet().stream().mapToLong(k -> ((String) k).length()).sum();
  }
}
