package dev.mandate.store;

import dev.mandate.testkit.MutableClock;

class InMemoryStoreTest extends StoreContractTest {
  private InMemoryStore current;

  @Override
  Store newStore(final MutableClock clock) {
    current = InMemoryStore.create(clock);
    return current;
  }

  @Override
  void tamperPut(final Item item) {
    current.tableWriter().put(item);
  }

  @Override
  void tamperDelete(final String appId, final String kind, final String id) {
    current.tableWriter().delete(appId, kind, id);
  }
}
