package dev.mandate.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mandate.store.InMemoryStore;
import dev.mandate.store.Item;
import java.util.List;
import java.util.Map;
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

  @Test
  void everyLiveSessionKeyOfAUserComesWithTheUserAndCountsAgainstTheLimit() {
    store.create(Item.of(APP, RecordRef.USER, "did:privy:u", "{\"id\":\"did:privy:u\"}"));
    for (int i = 0; i < 150; i++) {
      store.create(Item.of(APP, RecordRef.SESSION_KEY, Pointers.userPrefix("did:privy:u") + String.format("%04d", i), "{}"));
    }

    assertThat(new RecordLoader(store).load(APP, List.of(RecordRef.user("did:privy:u"))).keySet()
        .stream().filter(r -> r.kind().equals(RecordRef.SESSION_KEY))).hasSize(150);
    assertThatThrownBy(() -> new RecordLoader(store, 120).load(APP, List.of(RecordRef.user("did:privy:u"))))
        .isInstanceOf(RecordLimitExceededException.class);
  }

  @Test
  void referencesThatCannotBeIdsAreNotLookedUp() {
    store.create(Item.of(APP, RecordRef.WALLET, "w2", "{\"policy_ids\":[\"" + "x".repeat(5000) + "\",\"\"]}"));

    assertThat(new RecordLoader(store, 2).load(APP, List.of(RecordRef.wallet("w2")))).hasSize(1);
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
