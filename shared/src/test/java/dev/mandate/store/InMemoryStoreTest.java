package dev.mandate.store;

import dev.mandate.testkit.MutableClock;

class InMemoryStoreTest extends StoreContractTest {
  @Override
  Store newStore(final MutableClock clock) {
    return InMemoryStore.create(clock);
  }
}
