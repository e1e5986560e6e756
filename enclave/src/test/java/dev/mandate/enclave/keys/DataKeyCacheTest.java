package dev.mandate.enclave.keys;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mandate.testkit.MutableClock;
import java.lang.reflect.Field;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DataKeyCacheTest {
  private static final KeyContext WALLET_1 = KeyContext.walletKey("app-a", "wallet-1");
  private static final KeyContext WALLET_2 = KeyContext.walletKey("app-a", "wallet-2");
  private static final byte[] BLOB = {1, 2, 3, 4};
  private static final String ARN = "arn:aws:kms:us-east-1:000000000000:key/k";

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @Test
  void returnsACopyOfWhatWasPutUnderTheSameKeyBlobAndContext() {
    final DataKeyCache cache = new DataKeyCache(10, Duration.ofMinutes(5), clock);
    cache.put(DataKeyCache.keyOf(ARN, BLOB, WALLET_1), key(7));

    final byte[] got = cache.get(DataKeyCache.keyOf(ARN, BLOB, WALLET_1)).orElseThrow();
    got[0] = 0;

    assertThat(cache.get(DataKeyCache.keyOf(ARN, BLOB, WALLET_1))).hasValueSatisfying(k -> assertThat(k).isEqualTo(key(7)));
  }

  @Test
  void theSameBlobUnderAnotherContextOrKmsKeyMisses() {
    final DataKeyCache cache = new DataKeyCache(10, Duration.ofMinutes(5), clock);
    cache.put(DataKeyCache.keyOf(ARN, BLOB, WALLET_1), key(7));

    assertThat(cache.get(DataKeyCache.keyOf(ARN, BLOB, WALLET_2))).isEmpty();
    assertThat(cache.get(DataKeyCache.keyOf(ARN + "2", BLOB, WALLET_1))).isEmpty();
    assertThat(cache.get(DataKeyCache.keyOf(ARN, new byte[] {1, 2, 3, 5}, WALLET_1))).isEmpty();
  }

  @Test
  void anEntryExpiresItsTtlAfterItWasPutAndIsWiped() throws Exception {
    final DataKeyCache cache = new DataKeyCache(10, Duration.ofSeconds(60), clock);
    final String id = DataKeyCache.keyOf(ARN, BLOB, WALLET_1);
    cache.put(id, key(7));
    final byte[] held = held(cache, id);

    clock.advance(Duration.ofSeconds(59));
    assertThat(cache.get(id)).isPresent(); // use does not extend the age
    clock.advance(Duration.ofSeconds(1));

    assertThat(cache.get(id)).isEmpty();
    assertThat(held).containsOnly(0);
    assertThat(cache.size()).isZero();
  }

  @Test
  void theEldestEntryIsEvictedAndWipedBeyondTheCount() throws Exception {
    final DataKeyCache cache = new DataKeyCache(2, Duration.ofMinutes(5), clock);
    final String first = DataKeyCache.keyOf(ARN, new byte[] {1}, WALLET_1);
    cache.put(first, key(1));
    final byte[] held = held(cache, first);
    cache.put(DataKeyCache.keyOf(ARN, new byte[] {2}, WALLET_1), key(2));
    cache.put(DataKeyCache.keyOf(ARN, new byte[] {3}, WALLET_1), key(3));

    assertThat(cache.size()).isEqualTo(2);
    assertThat(cache.get(first)).isEmpty();
    assertThat(held).containsOnly(0);
  }

  @Test
  void zeroEntriesOrZeroTtlDisablesIt() {
    for (final DataKeyCache off : new DataKeyCache[] {
        new DataKeyCache(0, Duration.ofMinutes(5), clock), new DataKeyCache(10, Duration.ZERO, clock)}) {
      off.put(DataKeyCache.keyOf(ARN, BLOB, WALLET_1), key(7));
      assertThat(off.get(DataKeyCache.keyOf(ARN, BLOB, WALLET_1))).isEmpty();
      assertThat(off.size()).isZero();
    }
  }

  @Test
  void clearWipesEveryKey() throws Exception {
    final DataKeyCache cache = new DataKeyCache(10, Duration.ofMinutes(5), clock);
    final String id = DataKeyCache.keyOf(ARN, BLOB, WALLET_1);
    cache.put(id, key(7));
    final byte[] held = held(cache, id);

    cache.clear();

    assertThat(held).containsOnly(0);
    assertThat(cache.get(id)).isEmpty();
  }

  private static byte[] key(final int fill) {
    final byte[] key = new byte[32];
    java.util.Arrays.fill(key, (byte) fill);
    return key;
  }

  /** The cache's own array for {@code id}: what a heap dump would show after eviction. */
  private static byte[] held(final DataKeyCache cache, final String id) throws Exception {
    final Field field = DataKeyCache.class.getDeclaredField("entries");
    field.setAccessible(true);
    final Object entry = ((Map<?, ?>) field.get(cache)).get(id);
    final var accessor = entry.getClass().getDeclaredMethod("key");
    accessor.setAccessible(true);
    return (byte[]) accessor.invoke(entry);
  }
}
