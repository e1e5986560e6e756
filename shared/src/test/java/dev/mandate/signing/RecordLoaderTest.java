package dev.mandate.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mandate.store.InMemoryStore;
import dev.mandate.store.Item;
import dev.mandate.store.Store;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RecordLoaderTest {
  private static final String APP = "app1";
  private final InMemoryStore store = InMemoryStore.create();

  /**
   * The attack: a signer grows its own quorum until the closure passes the limit, so that what sorts
   * last — its policy's aggregation — used to be dropped silently and the cap stopped binding.
   */
  @Test
  void aClosurePastTheLimitIsRefusedRatherThanLoadedInPart() {
    walletWithSignerOfUsers(30);
    final RecordLoader loader = new RecordLoader(store, 20);

    assertThatThrownBy(() -> loader.load(APP, List.of(RecordRef.wallet("w1"))))
        .isInstanceOf(RecordLimitExceededException.class)
        .hasMessageContaining("20")
        .satisfies(e -> assertThat(((RecordLimitExceededException) e).code()).isEqualTo("record_limit_exceeded"));
  }

  @Test
  void aClosureWithinTheLimitIsLoadedWholeIncludingThePolicysAggregation() {
    walletWithSignerOfUsers(30);

    final Map<RecordRef, Item> loaded = new RecordLoader(store).load(APP, List.of(RecordRef.wallet("w1")));

    assertThat(loaded).containsKey(new RecordRef(RecordRef.AGGREGATION, "agg1"));
    assertThat(loaded).containsKey(RecordRef.policy("p1"));
    assertThat(loaded.keySet().stream().filter(r -> r.kind().equals(RecordRef.USER))).hasSize(30);
  }

  /**
   * A user's session keys are not listed: the keys filed under the fingerprints the request's
   * signatures can come from come with the user, however many others the user holds, and count
   * against the limit.
   */
  @Test
  void theSessionKeysASignatureCanMatchComeWithTheUserHoweverManyTheUserHolds() {
    store.create(Item.of(APP, RecordRef.USER, "did:privy:u", "{\"id\":\"did:privy:u\"}"));
    for (int i = 0; i < 150; i++) {
      store.create(Item.of(APP, RecordRef.SESSION_KEY, Pointers.userPrefix("did:privy:u") + String.format("%032x", i), "{}"));
    }
    final Set<String> candidates = Set.of(String.format("%032x", 149), String.format("%032x", 7), "f".repeat(32));

    final Map<RecordRef, Item> loaded =
        new RecordLoader(store).load(APP, List.of(RecordRef.user("did:privy:u")), () -> candidates);

    assertThat(loaded.keySet().stream().filter(r -> r.kind().equals(RecordRef.SESSION_KEY)).map(RecordRef::id))
        .containsExactlyInAnyOrder(Pointers.userPrefix("did:privy:u") + String.format("%032x", 149),
            Pointers.userPrefix("did:privy:u") + String.format("%032x", 7));
    assertThat(new RecordLoader(store).load(APP, List.of(RecordRef.user("did:privy:u"))).keySet())
        .as("no signatures, no session keys").containsExactly(RecordRef.user("did:privy:u"));
    assertThatThrownBy(() -> new RecordLoader(store, 2).load(APP, List.of(RecordRef.user("did:privy:u")), () -> candidates))
        .isInstanceOf(RecordLimitExceededException.class);
  }

  @Test
  void referencesThatCannotBeIdsAreNotLookedUp() {
    store.create(Item.of(APP, RecordRef.WALLET, "w2", "{\"policy_ids\":[\"" + "x".repeat(5000) + "\",\"\"]}"));

    assertThat(new RecordLoader(store, 2).load(APP, List.of(RecordRef.wallet("w2")))).hasSize(1);
  }

  /** Stretch of issue 12 goal 2: a warm wallet's closure, three levels deep, in one batch read. */
  @Test
  void aWarmClosureIsReadInOneBatchAndAColdOneInOneBatchPerLevel() {
    walletWithSignerOfUsers(3);
    final int[] batches = new int[1];
    final RecordLoader loader = new RecordLoader(counting(batches));

    final Map<RecordRef, Item> cold = loader.load(APP, List.of(RecordRef.wallet("w1")));
    final int coldBatches = batches[0];
    batches[0] = 0;
    final Map<RecordRef, Item> warm = loader.load(APP, List.of(RecordRef.wallet("w1")));

    assertThat(coldBatches).as("wallet; signer quorum and policy; users and aggregation").isEqualTo(3);
    assertThat(batches[0]).isEqualTo(1);
    assertThat(warm).isEqualTo(cold);
  }

  /** A hint chooses which keys to fetch, never what is handed on: a removed signer is gone at once. */
  @Test
  void aSignerRemovedFromTheWalletIsNotLoadedThoughTheLastLoadReachedIt() {
    walletWithSignerOfUsers(2);
    final int[] batches = new int[1];
    final RecordLoader loader = new RecordLoader(counting(batches));
    loader.load(APP, List.of(RecordRef.wallet("w1")));
    final Item wallet = store.get(APP, RecordRef.WALLET, "w1").orElseThrow();
    store.update(Item.of(APP, RecordRef.WALLET, "w1", "{\"policy_ids\":[\"p2\"]}"), wallet.version());
    store.create(Item.of(APP, RecordRef.POLICY, "p2", "{}"));
    batches[0] = 0;

    final Map<RecordRef, Item> loaded = loader.load(APP, List.of(RecordRef.wallet("w1")));

    assertThat(loaded.keySet()).containsExactly(RecordRef.wallet("w1"), RecordRef.policy("p2"));
    assertThat(loaded.get(RecordRef.wallet("w1")).doc()).contains("p2");
    assertThat(batches[0]).as("the new policy was not predicted: a second batch").isEqualTo(2);
    batches[0] = 0;
    assertThat(loader.load(APP, List.of(RecordRef.wallet("w1"))).keySet()).containsExactly(RecordRef.wallet("w1"), RecordRef.policy("p2"));
    assertThat(batches[0]).isEqualTo(1);
  }

  /** A predicted record that fails its anchor check refuses the request only while the wallet still reaches it. */
  @Test
  void aTamperedRecordTheWalletNoLongerReachesDoesNotRefuseButOneItReachesDoes() {
    walletWithSignerOfUsers(1);
    final RecordLoader loader = new RecordLoader(store);
    loader.load(APP, List.of(RecordRef.wallet("w1")));
    final Item wallet = store.get(APP, RecordRef.WALLET, "w1").orElseThrow();
    store.update(Item.of(APP, RecordRef.WALLET, "w1", "{}"), wallet.version());
    store.tableWriter().put(store.get(APP, RecordRef.POLICY, "p1").orElseThrow().withDoc("{\"rules\":[]}"));

    assertThat(loader.load(APP, List.of(RecordRef.wallet("w1"))).keySet()).containsExactly(RecordRef.wallet("w1"));
    final Item bare = store.get(APP, RecordRef.WALLET, "w1").orElseThrow();
    store.update(Item.of(APP, RecordRef.WALLET, "w1", "{\"policy_ids\":[\"p1\"]}"), bare.version());
    assertThatThrownBy(() -> loader.load(APP, List.of(RecordRef.wallet("w1"))))
        .isInstanceOf(dev.mandate.store.IntegrityViolationException.class);
  }

  /**
   * A second load for the same request (the gateway's, after the wallet service's) follows nothing
   * again when the first already covers its roots; records the host read on its own (not followed)
   * are completed.
   */
  @Test
  void aLoadThatCoversTheRootsIsNotFollowedAgainButRecordsReadAloneAre() {
    walletWithSignerOfUsers(2);
    final int[] batches = new int[1];
    final RecordLoader loader = new RecordLoader(counting(batches));
    final RecordLoader.Records first = loader.load(APP, List.of(RecordRef.wallet("w1")), Set::of, RecordLoader.Records.NONE);
    batches[0] = 0;

    assertThat(loader.load(APP, List.of(RecordRef.wallet("w1")), Set::of, first)).isSameAs(first);
    assertThat(loader.load(APP, List.of(RecordRef.quorum("signer")), Set::of, first)).isSameAs(first);
    assertThat(batches[0]).as("everything was looked up by the first load").isZero();

    final RecordLoader.Records alone = RecordLoader.Records.of(Map.of(RecordRef.wallet("w1"),
        first.items().get(RecordRef.wallet("w1"))));
    assertThat(loader.load(APP, List.of(RecordRef.wallet("w1")), Set::of, alone).items().keySet())
        .containsAll(first.items().keySet());
    assertThat(batches[0]).as("the wallet's references, level by level").isEqualTo(2);
  }

  /** The store, counting batch reads ({@link Store#getMany}); other reads fail the test. */
  private Store counting(final int[] batches) {
    return (Store) java.lang.reflect.Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
        (proxy, method, args) -> {
          if (method.getName().equals("get") || method.getName().equals("getAll")) {
            throw new AssertionError("read outside a batch: " + method.getName());
          }
          if (method.getName().equals("getMany")) {
            batches[0]++;
          }
          return method.invoke(store, args);
        });
  }

  private void walletWithSignerOfUsers(final int users) {
    final StringBuilder ids = new StringBuilder();
    for (int i = 0; i < users; i++) {
      final String id = "did:privy:u" + i;
      store.create(Item.of(APP, RecordRef.USER, id, "{\"id\":\"" + id + "\"}"));
      ids.append(i == 0 ? "" : ",").append('"').append(id).append('"');
    }
    store.create(Item.of(APP, RecordRef.KEY_QUORUM, "signer", "{\"user_ids\":[" + ids + "]}"));
    store.create(Item.of(APP, RecordRef.AGGREGATION, "agg1", "{\"id\":\"agg1\"}"));
    store.create(Item.of(APP, RecordRef.POLICY, "p1", "{\"rules\":[{\"conditions\":[{\"field_source\":\"reference\","
        + "\"field\":\"aggregation.agg1\",\"operator\":\"lte\",\"value\":\"10\"}]}]}"));
    store.create(Item.of(APP, RecordRef.WALLET, "w1", "{\"additional_signers\":[{\"signer_id\":\"signer\","
        + "\"override_policy_ids\":[\"p1\"]}]}"));
  }
}
