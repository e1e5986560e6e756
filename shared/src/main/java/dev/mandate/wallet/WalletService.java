package dev.mandate.wallet;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.api.ApiException;
import dev.mandate.api.ApiResponse;
import dev.mandate.api.Idempotency;
import dev.mandate.api.Json;
import dev.mandate.api.Route;
import dev.mandate.enclave.protocol.Executed;
import dev.mandate.enclave.records.WalletRecord;
import dev.mandate.signing.EnclaveGateway;
import dev.mandate.signing.RecordLoader;
import dev.mandate.signing.RecordRef;
import dev.mandate.signing.Pointers;
import dev.mandate.signing.WalletExternalIds;
import dev.mandate.store.Item;
import dev.mandate.store.Page;
import dev.mandate.store.Store;
import dev.mandate.transaction.TransactionService;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Wallets: create, read, list, update and sign. Everything that grants or uses power goes through
 * the enclave ({@link EnclaveGateway}); reads come straight from the store.
 */
public final class WalletService {
  private static final Pattern EXTERNAL_ID = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");
  private static final int MAX_PAGE = 100;
  private static final int MAX_USER_ID_CHARS = 100;
  private static final java.util.Set<String> LIST_PARAMS = java.util.Set.of("cursor", "limit", "chain_type", "user_id");

  private final Store store;
  private final EnclaveGateway enclave;
  private final Idempotency idempotency;
  private final TransactionService transactions;

  public WalletService(final Store store, final EnclaveGateway enclave, final Idempotency idempotency,
      final TransactionService transactions) {
    this.store = store;
    this.enclave = enclave;
    this.idempotency = idempotency;
    this.transactions = transactions;
  }

  public List<Route> routes() {
    return List.of(
        new Route("POST", "/v1/wallets", this::create),
        new Route("GET", "/v1/wallets", this::list),
        new Route("GET", "/v1/wallets/{wallet_id}", this::get));
  }

  public List<Route> updateRoutes() {
    return List.of(new Route("PATCH", "/v1/wallets/{wallet_id}", this::update));
  }

  public List<Route> signingRoutes() {
    return List.of(
        new Route("POST", "/v1/wallets/{wallet_id}/rpc", call -> sign(call, false)),
        new Route("POST", "/v1/wallets/{wallet_id}/rpc/dry_run", call -> sign(call, true)),
        new Route("POST", "/v1/wallets/{wallet_id}/raw_sign", call -> sign(call, false)));
  }

  ApiResponse create(final Route.Call call) {
    final ObjectNode body = Json.bodyObject(call.request().body());
    return idempotency.run(call, () -> {
      final Executed executed = enclave.execute(call, RecordLoader.fromBody(body), false);
      return ApiResponse.ok(primaryWallet(executed).toApiJson());
    });
  }

  ApiResponse update(final Route.Call call) {
    final ObjectNode body = Json.bodyObject(call.request().body());
    final RecordRef target = RecordRef.wallet(resolveId(call.appId(), call.param("wallet_id")));
    final List<RecordRef> roots = new ArrayList<>(List.of(target));
    roots.addAll(RecordLoader.fromBody(body));
    return ApiResponse.ok(primaryWallet(enclave.execute(call, roots, false)).toApiJson());
  }

  private ApiResponse sign(final Route.Call call, final boolean dryRun) {
    final ObjectNode body = Json.bodyObject(call.request().body()); // malformed JSON is a 400 before anything is read
    // The wallet and everything it refers to (from an ext_wal_ id: its claim too), read once (usually
    // one round trip) and handed on to the enclave call.
    final RecordRef root = signingRoot(call.param("wallet_id"));
    final RecordLoader.Records read = enclave.load(call, List.of(root));
    final RecordRef target = root.kind().equals(RecordRef.WALLET) ? root : Optional.ofNullable(read.items().get(root))
        .map(claim -> RecordRef.wallet(Json.parseStored(claim.doc()).path("wallet_id").asText()))
        .orElseThrow(() -> ApiException.notFound("Wallet not found."));
    final RecordLoader.Records records = root.equals(target) ? read : read.without(root);
    final Item item = Optional.ofNullable(records.items().get(target))
        .orElseThrow(() -> ApiException.notFound("Wallet not found."));
    return idempotency.run(call, () -> {
      final WalletRecord wallet = WalletRecord.fromDoc(item.doc());
      // Routing only: the enclave checks the method against the sealed wallet's chain.
      final boolean solana = "solana".equals(wallet.chainType());
      if (!dryRun && solana && "signAndSendTransaction".equals(body.path("method").asText())) {
        return transactions.sendSolana(call, body, wallet, records, List.of(target));
      }
      if (!dryRun && !solana && "eth_sendTransaction".equals(body.path("method").asText())) {
        return transactions.send(call, body, wallet, records, List.of(target));
      }
      final Executed executed = transactions.executeMetered(call, body, target.id(), records, List.of(target), dryRun);
      return ApiResponse.okJson(executed.result().orElseThrow());
    });
  }

  ApiResponse get(final Route.Call call) {
    final String id = resolveId(call.appId(), call.param("wallet_id"));
    return store.get(call.appId(), RecordRef.WALLET, id)
        .map(item -> ApiResponse.ok(WalletRecord.fromDoc(item.doc()).toApiJson()))
        .orElseThrow(() -> ApiException.notFound("Wallet not found."));
  }

  ApiResponse list(final Route.Call call) {
    for (final String name : call.request().query().keySet()) {
      if (!LIST_PARAMS.contains(name)) {
        // Ignoring a filter would return wallets the caller did not ask for.
        throw ApiException.invalid("Query parameter " + name + " is not supported; supported: " + LIST_PARAMS + ".");
      }
    }
    final int limit = limit(call.request().queryParam("limit"));
    final Optional<String> chainType = call.request().queryParam("chain_type");
    chainType.filter(c -> !c.equals("ethereum") && !c.equals("solana")).ifPresent(c -> {
      throw ApiException.invalid("chain_type must be \"ethereum\" or \"solana\".");
    });
    final Optional<String> userId = call.request().queryParam("user_id");
    userId.filter(id -> id.isEmpty() || id.length() > MAX_USER_ID_CHARS).ifPresent(id -> {
      throw ApiException.invalid("user_id must be a user id of at most " + MAX_USER_ID_CHARS + " characters.");
    });
    final Page page = userId.isPresent()
        ? store.listByIdPrefix(call.appId(), Pointers.USER_WALLET, Pointers.userPrefix(userId.get()),
            call.request().queryParam("cursor"), limit)
        : store.list(call.appId(), RecordRef.WALLET, call.request().queryParam("cursor"), limit,
            chainType.map(c -> Map.of("chain_type", c)).orElse(Map.of()));
    final ObjectNode out = Json.object();
    final ArrayNode data = out.putArray("data");
    for (final Item item : page.items()) {
      if (userId.isPresent()) {
        // user_id pages through the user's wallet pointers; each names a wallet.
        store.get(call.appId(), RecordRef.WALLET, Json.parseStored(item.doc()).path("wallet_id").asText())
            .ifPresent(wallet -> data.add(WalletRecord.fromDoc(wallet.doc()).toApiJson()));
      } else {
        data.add(WalletRecord.fromDoc(item.doc()).toApiJson());
      }
    }
    out.put("next_cursor", page.nextCursor().orElse(null));
    return ApiResponse.ok(out);
  }

  /** The record a signing request starts from: the wallet, or the claim of an {@code ext_wal_<external_id>}; 404 for neither. */
  private static RecordRef signingRoot(final String walletId) {
    if (walletId == null || walletId.isEmpty() || walletId.length() > 128) {
      throw ApiException.notFound("Wallet not found.");
    }
    if (!walletId.startsWith(WalletExternalIds.PREFIX)) {
      return RecordRef.wallet(walletId);
    }
    final String external = walletId.substring(WalletExternalIds.PREFIX.length());
    if (!EXTERNAL_ID.matcher(external).matches()) {
      throw ApiException.notFound("Wallet not found.");
    }
    return new RecordRef(WalletExternalIds.KIND, external);
  }

  /** A wallet id, or the id an {@code ext_wal_<external_id>} points to; 404 when the app has neither. */
  String resolveId(final String appId, final String walletId) {
    if (walletId == null || walletId.isEmpty() || walletId.length() > 128) {
      throw ApiException.notFound("Wallet not found.");
    }
    if (!walletId.startsWith(WalletExternalIds.PREFIX)) {
      return walletId;
    }
    final String external = walletId.substring(WalletExternalIds.PREFIX.length());
    if (!EXTERNAL_ID.matcher(external).matches()) {
      throw ApiException.notFound("Wallet not found.");
    }
    return store.get(appId, WalletExternalIds.KIND, external)
        .map(claim -> Json.parseStored(claim.doc()).path("wallet_id").asText())
        .orElseThrow(() -> ApiException.notFound("Wallet not found."));
  }

  private static WalletRecord primaryWallet(final Executed executed) {
    return WalletRecord.fromDoc(executed.primary().orElseThrow().doc());
  }

  private static int limit(final Optional<String> raw) {
    if (raw.isEmpty()) {
      return MAX_PAGE;
    }
    try {
      final int limit = Integer.parseInt(raw.get());
      if (limit < 1 || limit > MAX_PAGE) {
        throw ApiException.invalid("limit must be between 1 and 100.");
      }
      return limit;
    } catch (NumberFormatException e) {
      throw ApiException.invalid("limit must be an integer between 1 and 100.");
    }
  }
}
