package dev.mandate.enclave.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mandate.enclave.IntegrityException;
import dev.mandate.enclave.protocol.SealedRecord;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The memo of records whose seal verified: what it remembers never lets another record through, and
 * what an app can make it hold is bounded in text, not only in entries (an app that makes thousands
 * of large policies must not pin hundreds of MB in every warm function).
 */
class RecordSealerMemoTest {
  private static final String APP = "memoapp00000000000000001";
  /** Document text the seal memo may hold at most: 8 MB even in UTF-16. */
  private static final long MAX_HELD_CHARS = 4_000_000;

  @Test
  void theSealMemoHoldsABoundedAmountOfDocumentText() throws Exception {
    final RecordSealer sealer = new RecordSealer(key());
    final String padding = "\u00e9" + "x".repeat(4_000); // just below the per-record limit (4,096)
    for (int i = 0; i < 10_000; i++) {
      sealer.verify(APP, sealer.seal(APP, "policy", "p" + i, "{\"id\":\"p" + i + "\",\"name\":\"" + padding + "\"}"));
      if (i % 50 == 49) {
        assertThat(heldChars(sealer)).as("after %d records", i + 1).isLessThanOrEqualTo(MAX_HELD_CHARS);
      }
    }
    sealer.destroy();
  }

  @Test
  void aRememberedRecordIsAcceptedOnlyAsItWasVerified() {
    final RecordSealer sealer = new RecordSealer(key());
    final SealedRecord genuine = sealer.seal(APP, "policy", "p1", "{\"id\":\"p1\"}");
    sealer.verify(APP, genuine);
    sealer.verify(APP, genuine);
    assertThatThrownBy(() -> sealer.verify("otherapp0000000000000001", genuine)).isInstanceOf(IntegrityException.class);
    assertThatThrownBy(() -> sealer.verify(APP, new SealedRecord("key_quorum", "p1", genuine.doc(), genuine.seal())))
        .isInstanceOf(IntegrityException.class);
    assertThatThrownBy(() -> sealer.verify(APP, new SealedRecord("policy", "p2", genuine.doc(), genuine.seal())))
        .isInstanceOf(IntegrityException.class);
    // Another sealer (another master key) remembers nothing of the first one's records.
    final byte[] other = key();
    other[0] ^= 1;
    final RecordSealer second = new RecordSealer(other);
    assertThatThrownBy(() -> second.verify(APP, genuine)).isInstanceOf(IntegrityException.class);
    sealer.destroy();
    assertThatThrownBy(() -> sealer.verify(APP, genuine)).isInstanceOf(RuntimeException.class);
    second.destroy();
  }

  private static byte[] key() {
    final byte[] key = new byte[32];
    Arrays.fill(key, (byte) 7);
    return key;
  }

  /** The characters of document text the sealer's memo holds now. */
  private static long heldChars(final RecordSealer sealer) throws Exception {
    final Field field = RecordSealer.class.getDeclaredField("verified");
    field.setAccessible(true);
    long chars = 0;
    for (final Object entry : (Set<?>) field.get(sealer)) {
      final Method doc = entry.getClass().getDeclaredMethod("doc");
      doc.setAccessible(true);
      chars += ((String) doc.invoke(entry)).length();
    }
    return chars;
  }
}
