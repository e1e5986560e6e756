package dev.mandate.transaction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.api.ApiException;
import dev.mandate.api.ApiResponse;
import dev.mandate.api.Json;
import dev.mandate.api.Route;
import dev.mandate.chain.Accounts;
import dev.mandate.chain.Broadcaster;
import dev.mandate.chain.BroadcastFailedException;
import dev.mandate.chain.ChainException;
import dev.mandate.chain.ChainUnavailableException;
import dev.mandate.chain.Chains;
import dev.mandate.chain.GasEstimationFailedException;
import dev.mandate.chain.InsufficientFundsException;
import dev.mandate.chain.InvalidCaip2Exception;
import dev.mandate.chain.InvalidTransactionException;
import dev.mandate.chain.JsonRpcClient;
import dev.mandate.chain.NonceConflictException;
import dev.mandate.chain.Quantities;
import dev.mandate.chain.Receipts;
import dev.mandate.chain.TransactionFiller;
import dev.mandate.chain.TxStatus;
import dev.mandate.enclave.Ids;
import dev.mandate.enclave.InvalidRequestException;
import dev.mandate.enclave.execution.SendRequests;
import dev.mandate.enclave.policy.Aggregation;
import dev.mandate.enclave.protocol.Execute;
import dev.mandate.enclave.protocol.Executed;
import dev.mandate.enclave.protocol.HttpEnvelope;
import dev.mandate.enclave.records.WalletRecord;
import dev.mandate.signing.EnclaveGateway;
import dev.mandate.signing.RecordLoader;
import dev.mandate.signing.RecordRef;
import dev.mandate.store.Item;
import dev.mandate.store.ItemExistsException;
import dev.mandate.store.Store;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code eth_sendTransaction} and {@code GET /v1/transactions/{id}}: fill what the caller left out
 * from the chain, let the enclave decide and sign, broadcast, record. Status moves
 * {@code broadcasted} → {@code confirmed} / {@code execution_reverted} as receipts arrive (read on
 * {@code GET}). Idempotency keys (handled by the caller) make a retried send broadcast once.
 */
public final class TransactionService {
  public static final String KIND = RecordRef.TRANSACTION;
  private final Store store;
  private final EnclaveGateway enclave;
  private final Chains chains;
  private final Clock clock;
  private final WindowSums windowSums;
  private final dev.mandate.chain.solana.SolanaSends solana;

  public TransactionService(final Store store, final EnclaveGateway enclave, final Chains chains, final Clock clock) {
    this.store = store;
    this.enclave = enclave;
    this.chains = chains;
    this.clock = clock;
    this.windowSums = new WindowSums(store, clock);
    this.solana = new dev.mandate.chain.solana.SolanaSends(store, enclave,
        dev.mandate.chain.solana.SolanaClusters.fromEnvironment(), clock, KIND, TransactionService::transactionId);
  }

  public List<Route> routes() {
    return List.of(new Route("GET", "/v1/transactions/{transaction_id}", this::get));
  }

  /** Sends the rpc request in {@code call} for {@code wallet}; returns Privy's response. */
  public ApiResponse send(final Route.Call call, final ObjectNode body, final WalletRecord wallet,
      final RecordLoader.Records known, final List<RecordRef> roots) {
    final String caip2 = body.path("caip2").asText("");
    if (!body.path("caip2").isTextual() || caip2.isEmpty()) {
      throw ApiException.invalid("caip2 is required for eth_sendTransaction.");
    }
    final long chainId;
    try {
      chainId = Chains.chainIdFromCaip2(caip2);
      // The caller's own fields, checked as the enclave will check them, before the chain is asked anything.
      SendRequests.validate(body);
    } catch (InvalidCaip2Exception e) {
      throw ApiException.invalid(e.getMessage());
    } catch (InvalidRequestException e) {
      throw new ApiException(400, e.code(), e.getMessage());
    }
    final JsonRpcClient rpc = chains.forChainId(chainId).orElseThrow(() -> new ApiException(400, "unsupported_chain",
        "No RPC URL is configured for " + caip2 + " (MANDATE_RPC_URL_EIP155_" + chainId + ")."));
    final Optional<String> claimId = SendClaims.id(call, wallet.id());
    final Optional<Item> claimed = claimId.flatMap(id -> store.get(call.appId(), SendClaims.KIND, id));
    if (claimed.isPresent()) {
      return resend(call.appId(), claimed.get(), rpc);
    }
    final ObjectNode filled = chainCall(() -> TransactionFiller.fill((ObjectNode) body.get("params").get("transaction"),
        wallet.address(), chainId, rpc));
    final HttpEnvelope http = enclave.envelope(call.request());
    try (Metering metering = new Metering(call.appId(), wallet.id(), body, false)) {
      final Executed executed = enclave.execute(call, http, known, roots, false, loaded -> {
        final Map<String, String> inputs = new HashMap<>(metering.sums(loaded));
        inputs.put(Execute.TRANSACTION, filled.toString());
        return inputs;
      });
      final String raw = Json.parseStored(executed.result().orElseThrow()).path("data").path("signed_transaction").asText();
      final Item record;
      try {
        // Recorded (and so metered) before it is broadcast, with the bytes a retry re-broadcasts.
        record = record(call.appId(), wallet, caip2, raw, filled, body, claimId, SendClaims.expiry(call));
      } catch (ItemExistsException raced) {
        // The same request, racing this one, signed and recorded first: this signature is not used.
        return resend(call.appId(), store.get(call.appId(), SendClaims.KIND, claimId.orElseThrow()).orElseThrow(), rpc);
      }
      return broadcast(call.appId(), record, rpc);
    }
  }

  /** {@code signAndSendTransaction} for a Solana wallet. */
  public ApiResponse sendSolana(final Route.Call call, final ObjectNode body, final WalletRecord wallet,
      final RecordLoader.Records known, final List<RecordRef> roots) {
    return solana.send(call, body, wallet, known, roots);
  }

  /** A request already signed once: the same bytes go out again (a no-op if the node has them), never new ones. */
  private ApiResponse resend(final String appId, final Item claim, final JsonRpcClient rpc) {
    final Item record = store.get(appId, KIND, Json.parseStored(claim.doc()).path("transaction_id").asText())
        .orElseThrow(() -> ApiException.conflict("This signed request was used for a transaction that is no longer"
            + " recorded; sign a new request."));
    final ObjectNode doc = Json.parseStored(record.doc());
    if ("failed".equals(doc.path("status").asText())) {
      throw ApiException.conflict("This signed request was already used for transaction " + record.id()
          + ", which failed; sign a new request to send again.");
    }
    return broadcast(appId, record, rpc);
  }

  /**
   * Broadcasts a recorded transaction. A definite refusal marks it {@code failed} (no longer metered);
   * a lost answer leaves it recorded: retrying the request re-broadcasts these same bytes, and
   * {@code GET /v1/transactions/{id}} reconciles its status from the chain.
   */
  private ApiResponse broadcast(final String appId, final Item record, final JsonRpcClient rpc) {
    final ObjectNode doc = Json.parseStored(record.doc());
    try {
      Broadcaster.sendIdempotently(doc.path("signed_transaction").asText(), rpc);
    } catch (InsufficientFundsException | BroadcastFailedException e) {
      save(appId, record, doc.deepCopy().put("status", "failed"));
      throw chainError(e);
    } catch (NonceConflictException e) {
      if (!e.alreadyKnown()) {
        save(appId, record, doc.deepCopy().put("status", "failed"));
      }
      throw chainError(e);
    } catch (ChainUnavailableException e) {
      throw new ApiException(503, "chain_unavailable", "The chain's RPC endpoint did not answer. The transaction "
          + doc.path("transaction_hash").asText() + " is signed and recorded; retrying this request re-broadcasts"
          + " the same transaction, never a new one.");
    }
    final ObjectNode out = Json.object().put("method", "eth_sendTransaction");
    out.putObject("data").put("hash", doc.path("transaction_hash").asText()).put("caip2", doc.path("caip2").asText())
        .put("transaction_id", record.id());
    return ApiResponse.ok(out);
  }

  /**
   * Any other rpc request (and dry runs, eth_sendTransaction's included): the enclave sees the
   * wallet's aggregation sums, and a signed eth_signTransaction is remembered for them.
   */
  public Executed executeMetered(final Route.Call call, final JsonNode body, final String walletId,
      final RecordLoader.Records known, final List<RecordRef> roots, final boolean dryRun) {
    try (Metering metering = new Metering(call.appId(), walletId, body, dryRun)) {
      final Executed executed = enclave.execute(call, enclave.envelope(call.request()), known, roots, dryRun, metering::sums);
      if (!dryRun && executed.result().isPresent()) {
        metering.recordSigned();
      }
      return executed;
    }
  }

  /**
   * One request's view of its wallet's aggregation windows. When a policy that judges it refers to
   * aggregations (and it is not a dry run), the wallet's metering lease is held from reading the
   * sums until the request is recorded, so racing requests cannot together pass a cap.
   */
  private final class Metering implements AutoCloseable {
    private final String appId;
    private final String walletId;
    private final JsonNode body;
    private final boolean dryRun;
    private List<Aggregation> aggregations = List.of();
    private Optional<WindowSums.Lease> lease = Optional.empty();

    Metering(final String appId, final String walletId, final JsonNode body, final boolean dryRun) {
      this.appId = appId;
      this.walletId = walletId;
      this.body = body;
      this.dryRun = dryRun;
    }

    Map<String, String> sums(final Map<RecordRef, Item> loaded) {
      aggregations = WindowSums.aggregations(loaded);
      if (aggregations.isEmpty()) {
        return Map.of(); // the common case: nothing to read, nothing to hold
      }
      if (!dryRun && lease.isEmpty()) {
        lease = Optional.of(windowSums.lease(appId, walletId));
      }
      return windowSums.before(appId, walletId, aggregations, WindowSums.conditionSets(loaded), body);
    }

    void recordSigned() {
      windowSums.recordSigned(appId, walletId, aggregations, body);
    }

    @Override
    public void close() {
      lease.ifPresent(WindowSums.Lease::close);
    }
  }

  ApiResponse get(final Route.Call call) {
    final Item item = store.get(call.appId(), KIND, call.param("transaction_id"))
        .orElseThrow(() -> ApiException.notFound("Transaction not found."));
    return ApiResponse.ok(view(refresh(call.appId(), item)));
  }

  /** Looks for a receipt while the transaction is still {@code broadcasted}. */
  public Item refresh(final String appId, final Item item) {
    final ObjectNode doc = Json.parseStored(item.doc());
    if (!"broadcasted".equals(doc.path("status").asText())) {
      return item;
    }
    if (doc.path("caip2").asText().startsWith("solana:")) {
      return solana.status(doc).map(status -> save(appId, item, doc.put("status", status))).orElse(item);
    }
    final Optional<JsonRpcClient> rpc = chains.forChainId(Chains.chainIdFromCaip2(doc.path("caip2").asText()));
    if (rpc.isEmpty()) {
      return item;
    }
    final Optional<TxStatus> status;
    try {
      status = Receipts.status(doc.path("transaction_hash").asText(), rpc.get());
    } catch (ChainUnavailableException e) {
      return item;
    }
    if (status.isEmpty()) {
      return dropped(doc, rpc.get()) ? save(appId, item, doc.put("status", "failed")) : item;
    }
    doc.put("status", status.get().outcome().privyStatus()).put("block_number", status.get().blockNumber());
    return save(appId, item, doc);
  }

  /**
   * No receipt, the node no longer knows the hash, and the sender's nonce has been used by a mined
   * transaction: this one was replaced or dropped and can never be mined.
   */
  private static boolean dropped(final ObjectNode doc, final JsonRpcClient rpc) {
    if (!doc.hasNonNull("nonce") || !doc.hasNonNull("from")) {
      return false;
    }
    try {
      return rpc.call("eth_getTransactionByHash", doc.path("transaction_hash").asText()).isNull()
          && Accounts.minedNonce(doc.path("from").asText(), rpc).compareTo(new BigInteger(doc.path("nonce").asText())) > 0;
    } catch (ChainUnavailableException e) {
      return false;
    }
  }

  private Item save(final String appId, final Item item, final ObjectNode doc) {
    final Item updated = item.withDoc(doc.toString());
    try {
      store.update(updated, item.version());
    } catch (RuntimeException raced) {
      // Another reader recorded the same receipt first; what it wrote is what we would have.
      return store.get(appId, KIND, item.id()).orElse(updated);
    }
    return updated;
  }

  /** The signed transaction, and the claim on the request that signed it, in one transaction. */
  private Item record(final String appId, final WalletRecord wallet, final String caip2, final String raw,
      final ObjectNode filled, final ObjectNode body, final Optional<String> claimId, final Optional<Instant> claimExpiry) {
    final long now = clock.millis();
    final String id = transactionId(wallet.id(), now);
    final ObjectNode doc = Json.object()
        .put("id", id)
        .put("wallet_id", wallet.id())
        .put("caip2", caip2)
        .put("status", "broadcasted")
        .put("transaction_hash", Broadcaster.transactionHash(raw))
        .put("signed_transaction", raw)
        .put("method", "eth_sendTransaction")
        .put("value", quantity(filled.get("value")).toString())
        .put("from", wallet.address())
        .put("nonce", quantity(filled.hasNonNull("nonce") ? filled.get("nonce") : null).toString())
        .put("created_at", now)
        .put("sponsored", false);
    doc.put("reference_id", body.path("reference_id").isTextual() ? body.path("reference_id").asText() : null);
    // The request as signed (the caller's, with the host's nonce, gas and fees), metered again by
    // aggregations over later requests (WindowSums): fee metrics such as value_plus_max_fee see the fees.
    final ObjectNode signed = body.deepCopy();
    signed.putObject("params").set("transaction", filled);
    doc.set("request", signed);
    final Item item = Item.of(appId, KIND, id, doc.toString());
    final List<Item> items = new java.util.ArrayList<>(List.of(item));
    claimId.ifPresent(claim -> {
      final Item claimItem = Item.of(appId, SendClaims.KIND, claim, Json.object().put("transaction_id", id).toString());
      items.add(claimExpiry.map(claimItem::withExpiresAt).orElse(claimItem));
    });
    store.createAll(items);
    return item;
  }

  /**
   * A quantity of the transaction the enclave just signed, read as the enclave read it: absent or
   * {@code null} is 0, and so is a bare {@code 0x}.
   */
  private static BigInteger quantity(final JsonNode node) {
    if (node == null || node.isNull() || "0x".equalsIgnoreCase(node.asText())) {
      return BigInteger.ZERO;
    }
    return Quantities.read(node, "params.transaction");
  }

  /** {@code <wallet>.<ms, 13 digits>.<random>}: a wallet's transactions are one id range, in time order. */
  static String transactionId(final String walletId, final long millis) {
    return walletId + "." + String.format("%013d", millis) + "." + Ids.mint().substring(0, 8);
  }

  private static ObjectNode view(final Item item) {
    final ObjectNode doc = Json.parseStored(item.doc());
    final ObjectNode out = Json.object();
    for (final String field : List.of("id", "wallet_id", "caip2", "status", "transaction_hash", "created_at",
        "reference_id", "sponsored")) {
      out.set(field, doc.get(field));
    }
    return out;
  }

  /** Chain errors in Privy's vocabulary. */
  private static <T> T chainCall(final java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (ChainException e) {
      throw chainError(e);
    }
  }

  private static ApiException chainError(final ChainException failure) {
    return switch (failure) {
      case InsufficientFundsException e ->
          new ApiException(400, "insufficient_funds", "Transaction creation failed. Details: " + e.getMessage());
      case NonceConflictException e ->
          new ApiException(409, "nonce_conflict", "The transaction's nonce is already used: " + e.getMessage());
      case GasEstimationFailedException e ->
          new ApiException(400, "transaction_simulation_failed", "Transaction creation failed. Details: " + e.getMessage());
      case InvalidTransactionException e ->
          new ApiException(400, "transaction_simulation_failed", "Transaction creation failed. Details: " + e.getMessage());
      case BroadcastFailedException e ->
          new ApiException(400, "transaction_broadcast_failure", "Transaction broadcast failed: " + e.getMessage());
      default -> new ApiException(503, "chain_unavailable", "The chain's RPC endpoint did not answer; it is safe to retry.");
    };
  }

}
