package dev.mandate.signing;

import dev.mandate.api.Json;
import dev.mandate.store.Item;
import dev.mandate.store.ItemExistsException;
import dev.mandate.store.Store;
import java.util.Optional;

/**
 * Finds the enclave's wrapped sealing master key in the table, asking the enclave to create one the
 * first time a deployment needs it. The first writer wins (conditional create); everyone else reads it.
 */
public final class SealKeyProvider {
  /** A pseudo-app that holds deployment-wide records; no app can be authenticated under this id. */
  static final String SYSTEM_APP = "_mandate";
  static final String KIND = "enclave_key";
  static final String ID = "seal-master-v1";

  private final Store store;
  private final EnclaveClient enclave;
  private volatile String wrapped;

  public SealKeyProvider(final Store store, final EnclaveClient enclave) {
    this.store = store;
    this.enclave = enclave;
  }

  public String wrappedSealKey() {
    String local = wrapped;
    if (local == null) {
      local = read().orElseGet(this::createOrRead);
      wrapped = local;
    }
    return local;
  }

  private Optional<String> read() {
    return store.get(SYSTEM_APP, KIND, ID).map(item -> Json.parseStored(item.doc()).path("wrapped").asText());
  }

  private String createOrRead() {
    final String created = enclave.createSealKey();
    try {
      store.create(Item.of(SYSTEM_APP, KIND, ID, Json.object().put("wrapped", created).toString()));
      return created;
    } catch (ItemExistsException raced) {
      return read().orElseThrow();
    }
  }
}
