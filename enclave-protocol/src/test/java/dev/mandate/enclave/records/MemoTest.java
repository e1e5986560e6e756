package dev.mandate.enclave.records;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class MemoTest {
  @Test
  void computesOncePerTextWhileHeldAndStaysWithinItsBound() {
    final AtomicInteger calls = new AtomicInteger();
    final Memo<Integer> memo = new Memo<>(text -> {
      calls.incrementAndGet();
      return text.length();
    }, 3, 10);

    assertThat(memo.apply("abc")).isEqualTo(3);
    assertThat(memo.apply("abc")).isEqualTo(3);
    assertThat(calls).hasValue(1);
    memo.apply("a");
    memo.apply("ab");
    memo.apply("abcd"); // the fourth: cleared, then held
    assertThat(memo.size()).isLessThanOrEqualTo(3);
    assertThat(memo.apply("x".repeat(11))).as("longer than the bound: computed, not held").isEqualTo(11);
    assertThat(memo.apply("x".repeat(11))).isEqualTo(11);
    assertThat(calls).hasValue(6);
  }

  @Test
  void aFailureIsNotRemembered() {
    final AtomicInteger calls = new AtomicInteger();
    final Memo<String> memo = new Memo<>(text -> {
      if (calls.incrementAndGet() == 1) {
        throw new IllegalArgumentException("first time");
      }
      return text;
    }, 10, 100);

    assertThatThrownBy(() -> memo.apply("doc")).isInstanceOf(IllegalArgumentException.class);
    assertThat(memo.apply("doc")).isEqualTo("doc");
  }

  @Test
  void parsedRecordsAreTheSameObjectForTheSameTextAndEqualForAnEqualOne() {
    final String doc = new QuorumRecord("q1", java.util.List.of(), java.util.List.of("u1"), java.util.List.of(),
        java.util.OptionalInt.of(1), java.util.Optional.empty(), 5L).toDoc();
    assertThat(QuorumRecord.fromDoc(doc)).isSameAs(QuorumRecord.fromDoc(new String(doc)));
    assertThat(QuorumRecord.fromDoc(doc).userIds()).containsExactly("u1");
  }
}
