package dev.mandate.user;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.api.ApiException;
import dev.mandate.api.ApiResponse;
import dev.mandate.api.Json;
import dev.mandate.api.Route;
import dev.mandate.enclave.records.UserRecord;
import dev.mandate.enclave.records.WalletRecord;
import dev.mandate.signing.EnclaveGateway;
import dev.mandate.signing.Pointers;
import dev.mandate.signing.RecordRef;
import dev.mandate.store.Item;
import dev.mandate.store.Page;
import dev.mandate.store.Store;
import java.util.List;
import java.util.Optional;

/**
 * Users: {@code POST /v1/users}, {@code GET /v1/users/{id}} (and the legacy {@code /api/v1/users/{did}}).
 * A user's wallets appear in {@code linked_accounts} as {@code type: "wallet"} entries, with
 * {@code delegated: true} exactly when the wallet has signers — how a server finds the wallets it may
 * act on.
 */
public final class UserService {
  /** More wallets than any user has; the list is read in one range query. */
  private static final int MAX_WALLETS = 100;

  private final Store store;
  private final EnclaveGateway enclave;

  public UserService(final Store store, final EnclaveGateway enclave) {
    this.store = store;
    this.enclave = enclave;
  }

  public List<Route> routes() {
    return List.of(
        new Route("POST", "/v1/users", this::create),
        new Route("GET", "/v1/users/{user_id}", this::get));
  }

  ApiResponse create(final Route.Call call) {
    Json.bodyObject(call.request().body());
    final UserRecord user = UserRecord.fromDoc(enclave.execute(call, List.of(), false).primary().orElseThrow().doc());
    return ApiResponse.ok(view(call.appId(), user));
  }

  ApiResponse get(final Route.Call call) {
    return find(call.appId(), call.param("user_id"))
        .map(user -> ApiResponse.ok(view(call.appId(), user)))
        .orElseThrow(() -> ApiException.notFound("User not found."));
  }

  public Optional<UserRecord> find(final String appId, final String userId) {
    if (userId == null || !userId.startsWith(UserRecord.ID_PREFIX) || userId.length() > 128) {
      return Optional.empty();
    }
    return store.get(appId, RecordRef.USER, userId).map(item -> UserRecord.fromDoc(item.doc()));
  }

  /** Privy's User object: the stored accounts, then one entry per wallet the user owns. */
  public ObjectNode view(final String appId, final UserRecord user) {
    final ObjectNode json = user.toApiJson();
    final ArrayNode accounts = (ArrayNode) json.get("linked_accounts");
    final Page page = store.listByIdPrefix(appId, Pointers.USER_WALLET, Pointers.userPrefix(user.id()),
        Optional.empty(), MAX_WALLETS);
    int index = 0;
    for (final Item pointer : page.items()) {
      final String walletId = Json.parseStored(pointer.doc()).path("wallet_id").asText();
      final Optional<Item> wallet = store.get(appId, RecordRef.WALLET, walletId);
      if (wallet.isPresent()) {
        accounts.add(walletAccount(WalletRecord.fromDoc(wallet.get().doc()), index++));
      }
    }
    return json;
  }

  private static ObjectNode walletAccount(final WalletRecord wallet, final int index) {
    final long seconds = wallet.createdAt() / 1000;
    return Json.object()
        .put("type", "wallet")
        .put("id", wallet.id())
        .put("address", wallet.address())
        .put("chain_type", wallet.chainType())
        .put("wallet_client", "privy")
        .put("wallet_client_type", "privy")
        .put("connector_type", "embedded")
        .put("recovery_method", "privy-v2")
        .put("imported", false)
        .put("delegated", !wallet.additionalSigners().isEmpty())
        .put("user_can_sign", true)
        .put("wallet_index", index)
        .put("verified_at", seconds)
        .put("first_verified_at", seconds)
        .put("latest_verified_at", seconds);
  }
}
