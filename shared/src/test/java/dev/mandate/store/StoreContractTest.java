package dev.mandate.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mandate.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link Store} guarantees. Each test works in fresh random app ids, so one table (or
 * store) can serve the whole class.
 */
abstract class StoreContractTest {
  static final Instant START = Instant.parse("2030-01-01T00:00:00Z");

  MutableClock clock;
  Store store;
  String app;
  String otherApp;

  /** A store over shared backing state whose expiry decisions follow {@code clock}. */
  abstract Store newStore(MutableClock clock);

  /**
   * Puts {@code item} into the main table exactly as given (version included), bypassing the
   * anchors: what the table writer of docs/security.md can do with any item at any time.
   */
  abstract void tamperPut(Item item);

  /** Deletes an item from the main table alone, as the table writer can. */
  abstract void tamperDelete(String appId, String kind, String id);

  @BeforeEach
  void setUpStore() {
    clock = new MutableClock(START);
    store = newStore(clock);
    app = "app-" + UUID.randomUUID();
    otherApp = "app-" + UUID.randomUUID();
  }

  static Item wallet(final String appId, final String id) {
    return Item.of(appId, "wallet", id, "{\"id\":\"" + id + "\"}");
  }

  // ---- get / create ----

  @Test
  void getOfAMissingItemIsEmpty() {
    assertThat(store.get(app, "wallet", "nope")).isEmpty();
  }

  @Test
  void createdItemReadsBackAtVersionOne() {
    store.create(wallet(app, "w1").withAttr("chain_type", "ethereum").withExpiresAt(START.plusSeconds(60)));

    assertThat(store.get(app, "wallet", "w1")).hasValueSatisfying(item -> {
      assertThat(item.doc()).isEqualTo("{\"id\":\"w1\"}");
      assertThat(item.version()).isEqualTo(1);
      assertThat(item.attrs()).containsExactlyEntriesOf(Map.of("chain_type", "ethereum"));
      assertThat(item.expiresAt()).contains(START.plusSeconds(60).getEpochSecond());
      assertThat(item.appId()).isEqualTo(app);
    });
  }

  @Test
  void emptyDocumentsAndIdsWithHashesRoundTrip() {
    store.create(Item.of(app, "claim", "a#b#c", ""));

    assertThat(store.get(app, "claim", "a#b#c")).hasValueSatisfying(item -> {
      assertThat(item.id()).isEqualTo("a#b#c");
      assertThat(item.doc()).isEmpty();
    });
  }

  @Test
  void creatingTwiceFailsAndKeepsTheFirst() {
    store.create(wallet(app, "w1"));

    assertThatThrownBy(() -> store.create(wallet(app, "w1").withDoc("{\"second\":true}")))
        .isInstanceOf(ItemExistsException.class)
        .satisfies(e -> assertThat(((ItemExistsException) e).kind()).isEqualTo("wallet"));
    assertThat(store.get(app, "wallet", "w1").orElseThrow().doc()).isEqualTo("{\"id\":\"w1\"}");
  }

  @Test
  void sameIdUnderAnotherKindIsAnotherItem() {
    store.create(wallet(app, "x"));
    store.create(Item.of(app, "policy", "x", "{}"));

    assertThat(store.get(app, "policy", "x")).isPresent();
  }

  // ---- update / delete ----

  @Test
  void updateWithTheCurrentVersionReplacesEverythingAndBumpsTheVersion() {
    store.create(wallet(app, "w1").withAttr("a", "1").withAttr("b", "2"));

    store.update(wallet(app, "w1").withDoc("{\"v\":2}").withAttr("a", "9"), 1);

    final Item item = store.get(app, "wallet", "w1").orElseThrow();
    assertThat(item.version()).isEqualTo(2);
    assertThat(item.doc()).isEqualTo("{\"v\":2}");
    assertThat(item.attrs()).containsExactlyEntriesOf(Map.of("a", "9"));
  }

  @Test
  void staleUpdateFailsAndLeavesTheItemUnchanged() {
    store.create(wallet(app, "w1"));
    final Item read = store.get(app, "wallet", "w1").orElseThrow();
    store.update(read.withDoc("{\"winner\":true}"), read.version());

    assertThatThrownBy(() -> store.update(read.withDoc("{\"loser\":true}"), read.version()))
        .isInstanceOf(ConcurrentUpdateException.class);
    final Item after = store.get(app, "wallet", "w1").orElseThrow();
    assertThat(after.doc()).isEqualTo("{\"winner\":true}");
    assertThat(after.version()).isEqualTo(2);
  }

  @Test
  void updateOfAMissingItemIsNotFound() {
    assertThatThrownBy(() -> store.update(wallet(app, "ghost"), 1)).isInstanceOf(ItemNotFoundException.class);
    assertThat(store.get(app, "wallet", "ghost")).isEmpty();
  }

  @Test
  void concurrentUpdatesFromOneVersionHaveExactlyOneWinner() throws Exception {
    store.create(wallet(app, "w1"));
    final int writers = 8;
    final CountDownLatch go = new CountDownLatch(1);
    final AtomicInteger conflicts = new AtomicInteger();
    final ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      final List<Future<?>> futures = new ArrayList<>();
      for (int i = 0; i < writers; i++) {
        final int writer = i;
        futures.add(pool.submit(() -> {
          go.await();
          try {
            store.update(wallet(app, "w1").withDoc("{\"writer\":" + writer + "}"), 1);
          } catch (ConcurrentUpdateException e) {
            conflicts.incrementAndGet();
          }
          return null;
        }));
      }
      go.countDown();
      for (final Future<?> f : futures) {
        f.get(30, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(conflicts.get()).isEqualTo(writers - 1);
    assertThat(store.get(app, "wallet", "w1").orElseThrow().version()).isEqualTo(2);
  }

  @Test
  void deleteWithTheCurrentVersionRemovesTheItem() {
    store.create(wallet(app, "w1"));

    store.delete(app, "wallet", "w1", 1);

    assertThat(store.get(app, "wallet", "w1")).isEmpty();
  }

  @Test
  void staleOrMissingDeletesFail() {
    store.create(wallet(app, "w1"));

    assertThatThrownBy(() -> store.delete(app, "wallet", "w1", 7)).isInstanceOf(ConcurrentUpdateException.class);
    assertThatThrownBy(() -> store.delete(app, "wallet", "nope", 1)).isInstanceOf(ItemNotFoundException.class);
    assertThat(store.get(app, "wallet", "w1")).isPresent();
  }

  // ---- transactions ----

  @Test
  void createAllWritesEveryItem() {
    store.createAll(List.of(wallet(app, "w1"), Item.of(app, "external_id", "ext-1", "{}"),
        Item.of(app, "key_quorum", "q1", "{}")));

    assertThat(store.get(app, "wallet", "w1")).isPresent();
    assertThat(store.get(app, "external_id", "ext-1")).isPresent();
    assertThat(store.get(app, "key_quorum", "q1")).isPresent();
  }

  @Test
  void createAllRollsBackEntirelyAndNamesTheCollidingKind() {
    store.create(Item.of(app, "external_id", "ext-1", "{\"wallet_id\":\"w0\"}"));

    assertThatThrownBy(() -> store.createAll(List.of(
        wallet(app, "w1"), Item.of(app, "external_id", "ext-1", "{\"wallet_id\":\"w1\"}"), Item.of(app, "key_quorum", "q1", "{}"))))
        .isInstanceOfSatisfying(ItemExistsException.class, e -> {
          assertThat(e.kind()).isEqualTo("external_id");
          assertThat(e.id()).isEqualTo("ext-1");
        });
    assertThat(store.get(app, "wallet", "w1")).isEmpty();
    assertThat(store.get(app, "key_quorum", "q1")).isEmpty();
    assertThat(store.get(app, "external_id", "ext-1").orElseThrow().doc()).isEqualTo("{\"wallet_id\":\"w0\"}");
  }

  @Test
  void updateAllMixesCreatesReplacesDeletesAndChecks() {
    store.createAll(List.of(wallet(app, "w1"), wallet(app, "w2"), Item.of(app, "key_quorum", "q1", "{}")));

    store.updateAll(List.of(
        Update.create(wallet(app, "w3")),
        Update.replace(wallet(app, "w1").withDoc("{\"changed\":true}"), 1),
        Update.delete(app, "wallet", "w2", 1),
        Update.check(app, "key_quorum", "q1", 1)));

    assertThat(store.get(app, "wallet", "w3")).isPresent();
    assertThat(store.get(app, "wallet", "w1").orElseThrow().version()).isEqualTo(2);
    assertThat(store.get(app, "wallet", "w2")).isEmpty();
    assertThat(store.get(app, "key_quorum", "q1").orElseThrow().version()).isEqualTo(1);
  }

  @Test
  void updateAllWithAFailedCheckWritesNothing() {
    store.createAll(List.of(wallet(app, "w1"), Item.of(app, "key_quorum", "q1", "{}")));
    store.update(Item.of(app, "key_quorum", "q1", "{\"rotated\":true}"), 1);

    assertThatThrownBy(() -> store.updateAll(List.of(
        Update.replace(wallet(app, "w1").withDoc("{\"changed\":true}"), 1),
        Update.check(app, "key_quorum", "q1", 1))))
        .isInstanceOfSatisfying(ConcurrentUpdateException.class, e -> assertThat(e.kind()).isEqualTo("key_quorum"));
    assertThat(store.get(app, "wallet", "w1").orElseThrow().version()).isEqualTo(1);
  }

  @Test
  void updateAllOnAMissingItemIsNotFound() {
    assertThatThrownBy(() -> store.updateAll(List.of(
        Update.create(wallet(app, "w1")), Update.delete(app, "wallet", "ghost", 1))))
        .isInstanceOf(ItemNotFoundException.class);
    assertThat(store.get(app, "wallet", "w1")).isEmpty();
  }

  @Test
  void transactionsNamingAnItemTwiceAreRejectedBeforeWriting() {
    assertThatThrownBy(() -> store.createAll(List.of(wallet(app, "w1"), wallet(app, "w1"))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void emptyTransactionsDoNothing() {
    store.createAll(List.of());
    store.updateAll(List.of());
  }

  // ---- list ----

  @Test
  void paginationVisitsEveryItemExactlyOnce() {
    createWallets(app, 250, i -> Map.of());
    final Set<String> seen = new HashSet<>();
    final List<Integer> pageSizes = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      final Page page = store.list(app, "wallet", cursor, 100, Map.of());
      page.items().forEach(item -> assertThat(seen.add(item.id())).as("duplicate %s", item.id()).isTrue());
      pageSizes.add(page.items().size());
      cursor = page.nextCursor();
    } while (cursor.isPresent());

    assertThat(seen).hasSize(250);
    assertThat(pageSizes).containsExactly(100, 100, 50);
  }

  @Test
  void aListEndingOnAPageBoundaryHasNoNextCursor() {
    createWallets(app, 20, i -> Map.of());

    final Page first = store.list(app, "wallet", Optional.empty(), 10, Map.of());
    final Page second = store.list(app, "wallet", first.nextCursor(), 10, Map.of());

    assertThat(second.items()).hasSize(10);
    assertThat(second.nextCursor()).isEmpty();
  }

  @Test
  void listReturnsItemsInIdOrder() {
    for (final String id : List.of("c", "a", "b")) {
      store.create(wallet(app, id));
    }

    assertThat(store.list(app, "wallet", Optional.empty(), 10, Map.of()).items())
        .extracting(Item::id).containsExactly("a", "b", "c");
  }

  @Test
  void listByIdPrefixReadsOnlyThatRangeInIdOrder() {
    for (final String id : List.of("w1.003", "w2.001", "w1.001", "w1.002", "w10.001")) {
      store.create(Item.of(app, "transaction", id, "{}"));
    }

    assertThat(store.listByIdPrefix(app, "transaction", "w1.", Optional.empty(), 10).items())
        .extracting(Item::id).containsExactly("w1.001", "w1.002", "w1.003");
  }

  @Test
  void listByIdPrefixAfterSkipsWhatSortsBeforeAndPagesOn() {
    for (final String id : List.of("w1.0001.a", "w1.0002.b", "w1.0003.c", "w1.0004.d", "w2.0005.e")) {
      store.create(Item.of(app, "transaction", id, "{}"));
    }

    final Page first = store.listByIdPrefixAfter(app, "transaction", "w1.", "w1.0002", 1);
    assertThat(first.items()).extracting(Item::id).containsExactly("w1.0002.b");
    final Page rest = store.listByIdPrefix(app, "transaction", "w1.", first.nextCursor(), 10);
    assertThat(rest.items()).extracting(Item::id).containsExactly("w1.0003.c", "w1.0004.d");
    assertThat(rest.nextCursor()).isEmpty();
    assertThatThrownBy(() -> store.listByIdPrefixAfter(app, "transaction", "w1.", "w2.0001", 10))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void listReturnsOnlyTheRequestedKind() {
    store.create(wallet(app, "w1"));
    store.create(Item.of(app, "wallet-policy", "p1", "{}"));
    store.create(Item.of(app, "walle", "x", "{}"));

    assertThat(store.list(app, "wallet", Optional.empty(), 10, Map.of()).items())
        .extracting(Item::id).containsExactly("w1");
  }

  @Test
  void filtersStillFillWholePages() {
    createWallets(app, 90, i -> Map.of("chain_type", i % 3 == 0 ? "solana" : "ethereum"));
    final List<Item> all = new ArrayList<>();
    Optional<String> cursor = Optional.empty();
    final List<Integer> pageSizes = new ArrayList<>();
    do {
      final Page page = store.list(app, "wallet", cursor, 7, Map.of("chain_type", "solana"));
      all.addAll(page.items());
      pageSizes.add(page.items().size());
      cursor = page.nextCursor();
    } while (cursor.isPresent());

    assertThat(all).hasSize(30).allSatisfy(item -> assertThat(item.attrs()).containsEntry("chain_type", "solana"));
    assertThat(pageSizes).containsExactly(7, 7, 7, 7, 2);
  }

  @Test
  void filtersCombineWithAnd() {
    store.create(wallet(app, "w1").withAttr("chain_type", "ethereum").withAttr("owner", "u1"));
    store.create(wallet(app, "w2").withAttr("chain_type", "ethereum").withAttr("owner", "u2"));

    assertThat(store.list(app, "wallet", Optional.empty(), 10, Map.of("chain_type", "ethereum", "owner", "u2")).items())
        .extracting(Item::id).containsExactly("w2");
  }

  @Test
  void garbageCursorsAreRejected() {
    for (final String bad : List.of("!!!", "", "bm90LWEtc29ydC1rZXk", Cursors.encode("wallet#"))) {
      assertThatThrownBy(() -> store.list(app, "wallet", Optional.of(bad), 10, Map.of()))
          .as(bad).isInstanceOf(InvalidCursorException.class);
    }
  }

  @Test
  void cursorsOfAnotherKindAreRejected() {
    createWallets(app, 3, i -> Map.of());
    final String cursor = store.list(app, "wallet", Optional.empty(), 1, Map.of()).nextCursor().orElseThrow();

    assertThatThrownBy(() -> store.list(app, "policy", Optional.of(cursor), 10, Map.of()))
        .isInstanceOf(InvalidCursorException.class);
  }

  @Test
  void cursorsAreUrlSafe() {
    store.create(wallet(app, "a?b/c+d=é"));
    store.create(wallet(app, "z"));

    assertThat(store.list(app, "wallet", Optional.empty(), 1, Map.of()).nextCursor())
        .hasValueSatisfying(c -> assertThat(c).matches("[A-Za-z0-9_-]+"));
  }

  @Test
  void limitOutOfRangeIsRejected() {
    assertThatThrownBy(() -> store.list(app, "wallet", Optional.empty(), 0, Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> store.list(app, "wallet", Optional.empty(), Store.MAX_PAGE_SIZE + 1, Map.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  // ---- app isolation ----

  @Test
  void anotherAppNeverSeesOrTouchesTheItems() {
    store.create(wallet(app, "w1"));
    final String cursor = Cursors.encode("wallet#a");

    assertThat(store.get(otherApp, "wallet", "w1")).isEmpty();
    assertThat(store.list(otherApp, "wallet", Optional.empty(), 10, Map.of()).items()).isEmpty();
    assertThat(store.list(otherApp, "wallet", Optional.of(cursor), 10, Map.of()).items()).isEmpty();
    assertThatThrownBy(() -> store.update(wallet(otherApp, "w1"), 1)).isInstanceOf(ItemNotFoundException.class);
    assertThatThrownBy(() -> store.delete(otherApp, "wallet", "w1", 1)).isInstanceOf(ItemNotFoundException.class);
    store.create(wallet(otherApp, "w1"));
    assertThat(store.get(app, "wallet", "w1").orElseThrow().appId()).isEqualTo(app);
  }

  // ---- index ----

  @Test
  void findsAnItemByItsIndexKeysAcrossApps() {
    final String address = "addr#0x" + UUID.randomUUID();
    store.create(wallet(app, "w1").withIndex(address, "wallet"));

    assertThat(store.findByIndex(address, "wallet")).hasValueSatisfying(item -> {
      assertThat(item.appId()).isEqualTo(app);
      assertThat(item.id()).isEqualTo("w1");
    });
    assertThat(store.findByIndex(address, "other")).isEmpty();
  }

  @Test
  void updatesAndDeletesMoveTheIndexEntry() {
    final String key = "user#" + UUID.randomUUID();
    store.create(Item.of(app, "user", "u1", "{}").withIndex(key, "a"));
    store.update(Item.of(app, "user", "u1", "{}").withIndex(key, "b"), 1);

    assertThat(store.findByIndex(key, "a")).isEmpty();
    assertThat(store.findByIndex(key, "b")).isPresent();

    store.delete(app, "user", "u1", 2);
    assertThat(store.findByIndex(key, "b")).isEmpty();
  }

  @Test
  void duplicateIndexEntriesAreAnError() {
    final String key = "dup#" + UUID.randomUUID();
    store.create(Item.of(app, "user", "u1", "{}").withIndex(key, "x"));
    store.create(Item.of(app, "user", "u2", "{}").withIndex(key, "x"));

    assertThatThrownBy(() -> store.findByIndex(key, "x")).isInstanceOf(IllegalStateException.class);
  }

  // ---- expiry ----

  @Test
  void expiredItemsAreAbsentEverywhereBeforeTheyAreDeleted() {
    final String key = "session#" + UUID.randomUUID();
    store.create(Item.of(app, "session", "s1", "{}").withIndex(key, "s").withExpiresAt(START.plusSeconds(10)));

    clock.advance(Duration.ofSeconds(10));

    assertThat(store.get(app, "session", "s1")).isEmpty();
    assertThat(store.list(app, "session", Optional.empty(), 10, Map.of()).items()).isEmpty();
    assertThat(store.findByIndex(key, "s")).isEmpty();
    assertThatThrownBy(() -> store.update(Item.of(app, "session", "s1", "{}"), 1))
        .isInstanceOf(ItemNotFoundException.class);
  }

  @Test
  void anExpiredItemCanBeCreatedAgain() {
    store.create(Item.of(app, "session", "s1", "{\"gen\":1}").withExpiresAt(START.plusSeconds(10)));
    clock.advance(Duration.ofSeconds(11));

    store.create(Item.of(app, "session", "s1", "{\"gen\":2}"));

    assertThat(store.get(app, "session", "s1").orElseThrow().doc()).isEqualTo("{\"gen\":2}");
  }

  // ---- idempotency ----

  @Test
  void firstClaimOwnsTheKeyAndRepeatsSeeItInProgress() {
    final IdempotencyStore idem = store.idempotency();

    assertThat(idem.claim(app, "k1", "hash-a", START)).isInstanceOf(IdempotencyStore.Claimed.class);
    assertThat(idem.claim(app, "k1", "hash-a", START.plusSeconds(1))).isInstanceOf(IdempotencyStore.InProgress.class);
  }

  @Test
  void completedKeyReplaysTheStoredResponse() {
    final IdempotencyStore idem = store.idempotency();
    idem.claim(app, "k1", "hash-a", START);

    idem.complete(app, "k1", 201, "{\"id\":\"w1\"}");

    assertThat(idem.claim(app, "k1", "hash-a", START.plusSeconds(60)))
        .isEqualTo(new IdempotencyStore.Completed(201, "{\"id\":\"w1\"}"));
  }

  @Test
  void emptyResponseBodiesReplay() {
    final IdempotencyStore idem = store.idempotency();
    idem.claim(app, "k1", "hash-a", START);
    idem.complete(app, "k1", 204, "");

    assertThat(idem.claim(app, "k1", "hash-a", START)).isEqualTo(new IdempotencyStore.Completed(204, ""));
  }

  @Test
  void sameKeyWithAnotherRequestIsAMismatch() {
    final IdempotencyStore idem = store.idempotency();
    idem.claim(app, "k1", "hash-a", START);

    assertThat(idem.claim(app, "k1", "hash-b", START)).isInstanceOf(IdempotencyStore.Mismatch.class);
    idem.complete(app, "k1", 200, "{}");
    assertThat(idem.claim(app, "k1", "hash-b", START)).isInstanceOf(IdempotencyStore.Mismatch.class);
  }

  @Test
  void keysOutliveTheLongestRequestExpiryAndThenExpireEvenIfNotYetDeleted() {
    final IdempotencyStore idem = store.idempotency();
    idem.claim(app, "k1", "hash-a", START);
    idem.complete(app, "k1", 200, "{}");

    // A signed request may carry a privy-request-expiry up to 72 h ahead: its key is remembered that long.
    assertThat(idem.claim(app, "k1", "hash-a", START.plus(Duration.ofHours(71)))).isInstanceOf(IdempotencyStore.Completed.class);
    final Instant later = START.plus(Duration.ofHours(72));
    assertThat(idem.claim(app, "k1", "hash-b", later)).isInstanceOf(IdempotencyStore.Claimed.class);
    assertThat(idem.claim(app, "k1", "hash-b", later)).isInstanceOf(IdempotencyStore.InProgress.class);
  }

  @Test
  void keysAreScopedToTheirApp() {
    final IdempotencyStore idem = store.idempotency();
    idem.claim(app, "k1", "hash-a", START);

    assertThat(idem.claim(otherApp, "k1", "hash-b", START)).isInstanceOf(IdempotencyStore.Claimed.class);
  }

  @Test
  void releasedKeyCanBeClaimedAgain() {
    final IdempotencyStore idem = store.idempotency();
    idem.claim(app, "k1", "hash-a", START);

    idem.release(app, "k1");

    assertThat(idem.claim(app, "k1", "hash-a", START)).isInstanceOf(IdempotencyStore.Claimed.class);
  }

  @Test
  void releaseLeavesACompletedKeyAlone() {
    final IdempotencyStore idem = store.idempotency();
    idem.claim(app, "k1", "hash-a", START);
    idem.complete(app, "k1", 200, "{\"done\":true}");

    idem.release(app, "k1");
    idem.release(app, "never-claimed");

    assertThat(idem.claim(app, "k1", "hash-a", START)).isEqualTo(new IdempotencyStore.Completed(200, "{\"done\":true}"));
  }

  @Test
  void abandonedClaimIsTakenOverAfterTheInProgressTimeout() {
    final IdempotencyStore idem = IdempotencyStore.builder().store(store).inProgressTimeout(Duration.ofMinutes(1)).build();
    idem.claim(app, "k1", "hash-a", START);

    assertThat(idem.claim(app, "k1", "hash-a", START.plusSeconds(59))).isInstanceOf(IdempotencyStore.InProgress.class);
    assertThat(idem.claim(app, "k1", "hash-a", START.plusSeconds(60))).isInstanceOf(IdempotencyStore.Claimed.class);
  }

  @Test
  void firstCompletionWins() {
    final IdempotencyStore idem = store.idempotency();
    idem.claim(app, "k1", "hash-a", START);
    idem.complete(app, "k1", 200, "{\"first\":true}");

    idem.complete(app, "k1", 200, "{\"second\":true}");

    assertThat(idem.claim(app, "k1", "hash-a", START)).isEqualTo(new IdempotencyStore.Completed(200, "{\"first\":true}"));
  }

  @Test
  void completingAnUnclaimedKeyIsNotFound() {
    assertThatThrownBy(() -> store.idempotency().complete(app, "nope", 200, "{}"))
        .isInstanceOf(ItemNotFoundException.class);
  }

  @Test
  void concurrentClaimsHaveExactlyOneOwner() throws Exception {
    final IdempotencyStore idem = store.idempotency();
    final int callers = 8;
    final CountDownLatch go = new CountDownLatch(1);
    final ExecutorService pool = Executors.newFixedThreadPool(callers);
    final List<Future<IdempotencyStore.Claim>> results = new ArrayList<>();
    try {
      for (int i = 0; i < callers; i++) {
        results.add(pool.submit(() -> {
          go.await();
          return idem.claim(app, "race", "hash-a", START);
        }));
      }
      go.countDown();
      final List<IdempotencyStore.Claim> claims = new ArrayList<>();
      for (final Future<IdempotencyStore.Claim> f : results) {
        claims.add(f.get(30, TimeUnit.SECONDS));
      }
      assertThat(claims).filteredOn(c -> c instanceof IdempotencyStore.Claimed).hasSize(1);
      assertThat(claims).filteredOn(c -> c instanceof IdempotencyStore.InProgress).hasSize(callers - 1);
    } finally {
      pool.shutdownNow();
    }
  }

  // ---- anchoring: the table writer edits, restores, deletes or forges items ----

  @Test
  void anEditedItemIsRefusedNotReturned() {
    store.create(wallet(app, "w1").withAttr("address", "0xgood"));
    final Item stored = store.get(app, "wallet", "w1").orElseThrow();

    tamperPut(stored.withAttr("address", "0xevil"));

    assertThatThrownBy(() -> store.get(app, "wallet", "w1")).isInstanceOf(IntegrityViolationException.class)
        .hasMessageNotContaining("0xevil");
    tamperPut(stored.withDoc("{\"id\":\"other\"}"));
    assertThatThrownBy(() -> store.get(app, "wallet", "w1")).isInstanceOf(IntegrityViolationException.class);
    assertThatThrownBy(() -> store.list(app, "wallet", Optional.empty(), 10, Map.of()))
        .isInstanceOf(IntegrityViolationException.class);
  }

  @Test
  void anOlderGenuineVersionPutBackIsRefused() {
    store.create(wallet(app, "w1").withAttr("signer", "revoked-soon"));
    final Item v1 = store.get(app, "wallet", "w1").orElseThrow();
    store.update(v1.withAttrs(Map.of()), 1);

    tamperPut(v1);

    assertThatThrownBy(() -> store.get(app, "wallet", "w1")).isInstanceOf(IntegrityViolationException.class);
    assertThatThrownBy(() -> store.listByIdPrefix(app, "wallet", "w", Optional.empty(), 10))
        .isInstanceOf(IntegrityViolationException.class);
    // A write based on the restored version fails too: the item is not at the version it claims.
    assertThatThrownBy(() -> store.update(v1.withDoc("{}"), 1)).isInstanceOf(IntegrityViolationException.class);
  }

  @Test
  void anOlderVersionWithTheCurrentVersionNumberIsRefused() {
    store.create(wallet(app, "w1"));
    final Item v1 = store.get(app, "wallet", "w1").orElseThrow();
    store.update(v1.withDoc("{\"v\":2}"), 1);

    tamperPut(new Item(app, "wallet", "w1", v1.doc(), 2, v1.attrs(), v1.expiresAt()));

    assertThatThrownBy(() -> store.get(app, "wallet", "w1")).isInstanceOf(IntegrityViolationException.class);
  }

  @Test
  void aDeletedItemWhoseAnchorLivesIsRefusedNotAbsent() {
    store.create(wallet(app, "w1"));

    tamperDelete(app, "wallet", "w1");

    assertThatThrownBy(() -> store.get(app, "wallet", "w1")).isInstanceOf(IntegrityViolationException.class);
    assertThatThrownBy(() -> store.list(app, "wallet", Optional.empty(), 10, Map.of()))
        .isInstanceOf(IntegrityViolationException.class);
    assertThatThrownBy(() -> store.create(wallet(app, "w1"))).isInstanceOf(IntegrityViolationException.class);
  }

  @Test
  void aForgedItemWithoutAnAnchorIsRefused() {
    store.create(wallet(app, "w0"));

    tamperPut(new Item(app, "wallet", "w1", "{}", 1, Map.of("owner", "attacker")));

    assertThatThrownBy(() -> store.get(app, "wallet", "w1")).isInstanceOf(IntegrityViolationException.class);
    assertThatThrownBy(() -> store.list(app, "wallet", Optional.empty(), 10, Map.of()))
        .isInstanceOf(IntegrityViolationException.class);
    assertThat(store.get(app, "wallet", "w0")).isPresent();
  }

  @Test
  void aPastExpiryWrittenIntoTheItemDoesNotMakeItVanish() {
    store.create(wallet(app, "used-marker"));
    final Item stored = store.get(app, "wallet", "used-marker").orElseThrow();

    tamperPut(stored.withExpiresAt(START.minusSeconds(60)));

    assertThatThrownBy(() -> store.get(app, "wallet", "used-marker")).isInstanceOf(IntegrityViolationException.class);
    assertThatThrownBy(() -> store.list(app, "wallet", Optional.empty(), 10, Map.of()))
        .isInstanceOf(IntegrityViolationException.class);
  }

  @Test
  void anItemWhoseAnchorExpiredIsAbsentWhateverTheItemSays() {
    store.create(wallet(app, "w1").withExpiresAt(START.plusSeconds(10)));
    final Item stored = store.get(app, "wallet", "w1").orElseThrow();
    clock.advance(Duration.ofSeconds(11));

    tamperPut(stored.withoutExpiry());

    assertThat(store.get(app, "wallet", "w1")).isEmpty();
    assertThat(store.list(app, "wallet", Optional.empty(), 10, Map.of()).items()).isEmpty();
  }

  @Test
  void anEditedFilterAttributeNeitherHidesNorAddsAnItem() {
    store.create(wallet(app, "w1").withAttr("user", "alice"));
    store.create(wallet(app, "w2").withAttr("user", "bob"));
    final Item w1 = store.get(app, "wallet", "w1").orElseThrow();
    final Item w2 = store.get(app, "wallet", "w2").orElseThrow();

    tamperPut(w1.withAttr("user", "bob"));
    assertThatThrownBy(() -> store.list(app, "wallet", Optional.empty(), 10, Map.of("user", "alice")))
        .isInstanceOf(IntegrityViolationException.class);
    tamperPut(w1);
    tamperPut(w2.withAttr("user", "alice"));
    assertThatThrownBy(() -> store.list(app, "wallet", Optional.empty(), 10, Map.of("user", "alice")))
        .isInstanceOf(IntegrityViolationException.class);
    tamperPut(w2);
    assertThat(store.list(app, "wallet", Optional.empty(), 10, Map.of("user", "alice")).items())
        .extracting(Item::id).containsExactly("w1");
  }

  @Test
  void aForgedIndexEntryIsRefused() {
    tamperPut(new Item(app, "wallet", "w1", "{}", 1, Map.of()).withIndex("0xforged", "wallet"));

    assertThatThrownBy(() -> store.findByIndex("0xforged", "wallet")).isInstanceOf(IntegrityViolationException.class);
  }

  @Test
  void aWholeTableRestoreIsRefusedForEveryChangedItem() {
    createWallets(app, 5, i -> Map.of("n", Integer.toString(i)));
    final List<Item> snapshot = store.list(app, "wallet", Optional.empty(), 10, Map.of()).items();
    final Item w1 = snapshot.get(1);
    store.update(w1.withAttr("n", "changed"), w1.version());
    store.delete(app, "wallet", snapshot.get(2).id(), snapshot.get(2).version());
    store.create(wallet(app, "w9999"));

    snapshot.forEach(this::tamperPut);

    assertThat(store.get(app, "wallet", snapshot.get(0).id())).isPresent();
    assertThatThrownBy(() -> store.get(app, "wallet", w1.id())).isInstanceOf(IntegrityViolationException.class);
    assertThatThrownBy(() -> store.get(app, "wallet", snapshot.get(2).id())).isInstanceOf(IntegrityViolationException.class);
    assertThat(store.get(app, "wallet", "w9999")).isPresent();
    assertThatThrownBy(() -> store.list(app, "wallet", Optional.empty(), 10, Map.of()))
        .isInstanceOf(IntegrityViolationException.class);
  }

  @Test
  void anItemOfAnotherAppCopiedInIsRefused() {
    store.create(wallet(otherApp, "w1").withAttr("owner", "theirs"));
    final Item theirs = store.get(otherApp, "wallet", "w1").orElseThrow();

    tamperPut(new Item(app, theirs.kind(), theirs.id(), theirs.doc(), theirs.version(), theirs.attrs()));

    assertThatThrownBy(() -> store.get(app, "wallet", "w1")).isInstanceOf(IntegrityViolationException.class);
  }

  @Test
  void aTransactionTouchingARestoredItemWritesNothing() {
    store.create(wallet(app, "w1"));
    final Item v1 = store.get(app, "wallet", "w1").orElseThrow();
    store.update(v1.withDoc("{\"v\":2}"), 1);
    tamperPut(v1);

    assertThatThrownBy(() -> store.updateAll(List.of(
        Update.create(wallet(app, "w2")),
        Update.check(app, "wallet", "w1", 1))))
        .isInstanceOf(IntegrityViolationException.class);
    assertThat(store.get(app, "wallet", "w2")).isEmpty();
  }

  @Test
  void transactionsOfMoreThanFiftyUpdatesAreRefusedNotSplit() {
    final List<Update> updates = new ArrayList<>();
    for (int i = 0; i <= Store.MAX_TRANSACTION_SIZE; i++) {
      updates.add(Update.create(wallet(app, "w" + i)));
    }
    assertThat(Store.MAX_TRANSACTION_SIZE).isEqualTo(50);
    assertThatThrownBy(() -> store.updateAll(updates)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at most 50");
    assertThat(store.list(app, "wallet", Optional.empty(), 10, Map.of()).items()).isEmpty();
  }

  @Test
  void getAllReadsTheLiveItemsAmongManyIdsLeavingOutTheAbsent() {
    final List<String> ids = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      ids.add("w" + i);
      if (i % 3 != 0) {
        store.create(wallet(app, "w" + i));
      }
    }
    store.create(wallet(otherApp, "w0"));
    store.create(wallet(app, "expiring").withExpiresAt(START.plusSeconds(10)));
    clock.advance(Duration.ofSeconds(20));
    ids.add("expiring");
    ids.add("w1");

    final List<Item> found = store.getAll(app, "wallet", ids);

    assertThat(found).extracting(Item::id).doesNotHaveDuplicates().hasSize(80)
        .allMatch(id -> Integer.parseInt(id.substring(1)) % 3 != 0);
    assertThat(store.getAll(app, "wallet", List.of())).isEmpty();
  }

  @Test
  void getAllRefusesAnEditedRestoredOrDeletedItem() {
    store.create(wallet(app, "w1"));
    store.create(wallet(app, "w2"));
    final Item w1 = store.get(app, "wallet", "w1").orElseThrow();

    tamperPut(w1.withDoc("{\"evil\":true}"));
    assertThatThrownBy(() -> store.getAll(app, "wallet", List.of("w2", "w1"))).isInstanceOf(IntegrityViolationException.class);
    tamperPut(w1);
    tamperDelete(app, "wallet", "w2");
    assertThatThrownBy(() -> store.getAll(app, "wallet", List.of("w1", "w2"))).isInstanceOf(IntegrityViolationException.class);
    tamperPut(new Item(app, "wallet", "w3", "{}", 1, Map.of()));
    assertThatThrownBy(() -> store.getAll(app, "wallet", List.of("w3"))).isInstanceOf(IntegrityViolationException.class);
  }

  @Test
  void getManyReadsItemsOfSeveralKindsAmongMoreKeysThanOneBatchLeavingOutTheAbsent() {
    final List<Store.Key> keys = new ArrayList<>();
    for (int i = 0; i < 70; i++) {
      final String kind = i % 2 == 0 ? "wallet" : "policy";
      keys.add(new Store.Key(kind, "r" + i));
      if (i % 5 != 0) {
        store.create(Item.of(app, kind, "r" + i, "{\"i\":" + i + "}"));
      }
    }
    store.create(Item.of(otherApp, "wallet", "r0", "{}"));
    keys.add(new Store.Key("wallet", "r1")); // no wallet r1: r1 is a policy
    keys.add(new Store.Key("policy", "r1"));

    final Map<Store.Key, Item> found = store.getMany(app, keys);

    assertThat(found).hasSize(56).allSatisfy((key, item) -> {
      assertThat(item.kind()).isEqualTo(key.kind());
      assertThat(item.id()).isEqualTo(key.id());
      assertThat(item.appId()).isEqualTo(app);
    });
    assertThat(found.get(new Store.Key("policy", "r1")).doc()).isEqualTo("{\"i\":1}");
    assertThat(store.getMany(app, List.of())).isEmpty();
  }

  @Test
  void getManyRefusesAnEditedOrForgedItemOfAnyKind() {
    store.create(wallet(app, "w1"));
    store.create(Item.of(app, "policy", "p1", "{}"));
    final Item p1 = store.get(app, "policy", "p1").orElseThrow();

    tamperPut(p1.withDoc("{\"rules\":[]}"));
    assertThatThrownBy(() -> store.getMany(app, List.of(new Store.Key("wallet", "w1"), new Store.Key("policy", "p1"))))
        .isInstanceOf(IntegrityViolationException.class);
    tamperPut(p1);
    tamperPut(new Item(app, "key_quorum", "q1", "{}", 1, Map.of()));
    assertThatThrownBy(() -> store.getMany(app, List.of(new Store.Key("wallet", "w1"), new Store.Key("key_quorum", "q1"))))
        .isInstanceOf(IntegrityViolationException.class);
  }

  @Test
  void anUntouchedStoreVerifiesUnderConcurrentWrites() throws Exception {
    store.create(wallet(app, "hot"));
    final ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      final List<Future<?>> tasks = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        tasks.add(pool.submit(() -> {
          for (int i = 0; i < 25; i++) {
            final Item current = store.get(app, "wallet", "hot").orElseThrow();
            try {
              store.update(current.withDoc("{\"i\":" + i + "}"), current.version());
            } catch (ConcurrentUpdateException raced) {
              // Another writer won this round.
            }
          }
          return null;
        }));
        tasks.add(pool.submit(() -> {
          for (int i = 0; i < 25; i++) {
            assertThat(store.get(app, "wallet", "hot")).isPresent();
            assertThat(store.list(app, "wallet", Optional.empty(), 10, Map.of()).items()).hasSize(1);
          }
          return null;
        }));
      }
      for (final Future<?> task : tasks) {
        task.get(60, TimeUnit.SECONDS);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  private void createWallets(final String appId, final int count,
      final java.util.function.IntFunction<Map<String, String>> attrs) {
    final List<Item> batch = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      batch.add(wallet(appId, String.format("w%04d", i)).withAttrs(attrs.apply(i)));
      if (batch.size() == Store.MAX_TRANSACTION_SIZE) {
        store.createAll(batch);
        batch.clear();
      }
    }
    store.createAll(batch);
  }
}
