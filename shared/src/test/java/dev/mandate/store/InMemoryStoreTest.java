package dev.mandate.store;

class InMemoryStoreTest extends StoreContractTest {
  @Override
  Store newStore(final MutableClock clock) {
    return InMemoryStore.create(clock);
  }
}
