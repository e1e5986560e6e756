package dev.mandate.chain.solana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.api.ApiException;
import dev.mandate.api.ApiResponse;
import dev.mandate.api.Json;
import dev.mandate.api.Route;
import dev.mandate.chain.ChainUnavailableException;
import dev.mandate.chain.JsonRpcClient;
import dev.mandate.chain.JsonRpcException;
import dev.mandate.enclave.protocol.Execute;
import dev.mandate.enclave.protocol.Executed;
import dev.mandate.enclave.records.WalletRecord;
import dev.mandate.enclave.solana.SolanaTransaction;
import dev.mandate.signing.EnclaveGateway;
import dev.mandate.signing.RecordRef;
import dev.mandate.store.Item;
import dev.mandate.store.ItemExistsException;
import dev.mandate.transaction.SendClaims;
import dev.mandate.store.Store;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * {@code signAndSendTransaction} for Solana wallets: the host reads a recent blockhash when the
 * caller sent the dummy one, the enclave decides on the caller's own message and signs (changing
 * only the blockhash), the host broadcasts to the cluster {@code caip2} names and records the
 * transaction. Its status comes from {@code getSignatureStatuses} on {@code GET /v1/transactions/{id}}.
 */
public final class SolanaSends {
  private static final String METHOD = "signAndSendTransaction";

  private final Store store;
  private final EnclaveGateway enclave;
  private final SolanaClusters clusters;
  private final Clock clock;
  private final String kind;
  private final BiFunction<String, Long, String> ids;

  /**
   * @param kind the store kind of transaction records
   * @param ids a new transaction id for (wallet id, now in ms)
   */
  public SolanaSends(final Store store, final EnclaveGateway enclave, final SolanaClusters clusters, final Clock clock,
      final String kind, final BiFunction<String, Long, String> ids) {
    this.store = store;
    this.enclave = enclave;
    this.clusters = clusters;
    this.clock = clock;
    this.kind = kind;
    this.ids = ids;
  }

  public ApiResponse send(final Route.Call call, final ObjectNode body, final WalletRecord wallet,
      final dev.mandate.signing.RecordLoader.Records known, final List<RecordRef> roots) {
    final String caip2 = body.path("caip2").asText("");
    if (!SolanaClusters.CAIP2.containsKey(caip2)) {
      throw ApiException.invalid("caip2 is required for signAndSendTransaction and must be a Solana cluster ("
          + String.join(", ", SolanaClusters.CAIP2.keySet().stream().sorted().toList()) + ").");
    }
    final JsonRpcClient rpc = clusters.forCaip2(caip2).orElseThrow(() -> new ApiException(400, "unsupported_chain",
        "No RPC URL is configured for " + caip2 + " (" + SolanaClusters.settingFor(caip2) + ")."));
    // One transaction per signed (or idempotency-keyed) request: a retry or a relay's replay gets the
    // transaction it was first signed into, re-sent as the same bytes, never a fresh blockhash.
    final Optional<String> claimId = SendClaims.id(call, wallet.id());
    final Optional<Item> claimed = claimId.flatMap(id -> store.get(call.appId(), SendClaims.KIND, id));
    if (claimed.isPresent()) {
      return resend(call.appId(), claimed.get(), rpc);
    }
    final Map<String, String> inputs = needsBlockhash(body)
        ? Map.of(Execute.SOLANA_BLOCKHASH, chainCall(() -> rpc.call("getLatestBlockhash",
            Map.of("commitment", "finalized")).path("value").path("blockhash").asText()))
        : Map.of();
    final Executed executed = enclave.execute(call, enclave.envelope(call.request()), known, roots, false, loaded -> inputs);
    final JsonNode data = Json.parseStored(executed.result().orElseThrow()).path("data");
    final String hash = data.path("hash").asText();
    final String signed = data.path("signed_transaction").asText();
    final Item record;
    try {
      // Recorded, with its claim, before it is broadcast: a lost answer is retried with these bytes.
      record = record(call.appId(), wallet, caip2, hash, signed, body, claimId, SendClaims.expiry(call));
    } catch (ItemExistsException raced) {
      return resend(call.appId(), store.get(call.appId(), SendClaims.KIND, claimId.orElseThrow()).orElseThrow(), rpc);
    }
    chainCall(() -> rpc.call("sendTransaction", signed,
        Map.of("encoding", "base64", "preflightCommitment", "confirmed")));
    return response(Json.parseStored(record.doc()));
  }

  /** The transaction a claimed request was signed into, sent again as the same bytes (a no-op if the cluster has it). */
  private ApiResponse resend(final String appId, final Item claim, final JsonRpcClient rpc) {
    final ObjectNode doc = store.get(appId, kind, Json.parseStored(claim.doc()).path("transaction_id").asText())
        .map(item -> Json.parseStored(item.doc()))
        .orElseThrow(() -> ApiException.conflict("This signed request was used for a transaction that is no longer recorded."));
    try {
      rpc.call("sendTransaction", doc.path("signed_transaction").asText(),
          Map.of("encoding", "base64", "preflightCommitment", "confirmed"));
    } catch (JsonRpcException | ChainUnavailableException alreadyThereOrUnreachable) {
      // Already processed, or the cluster is away: either way the answer is the recorded transaction,
      // whose status GET /v1/transactions/{id} follows; nothing new is signed.
    }
    return response(doc);
  }

  private static ApiResponse response(final ObjectNode doc) {
    final ObjectNode out = Json.object().put("method", METHOD);
    out.putObject("data").put("hash", doc.path("transaction_hash").asText()).put("caip2", doc.path("caip2").asText())
        .put("transaction_id", doc.path("id").asText())
        .put("signed_transaction", doc.path("signed_transaction").asText())
        .put("reference_id", doc.path("reference_id").isTextual() ? doc.path("reference_id").asText() : null);
    return ApiResponse.ok(out);
  }

  /** A status for a recorded {@code broadcasted} Solana transaction, when the cluster knows one. */
  public Optional<String> status(final ObjectNode doc) {
    final Optional<JsonRpcClient> rpc = clusters.forCaip2(doc.path("caip2").asText());
    if (rpc.isEmpty()) {
      return Optional.empty();
    }
    try {
      final JsonNode status = rpc.get().call("getSignatureStatuses", List.of(doc.path("transaction_hash").asText()),
          Map.of("searchTransactionHistory", true)).path("value").path(0);
      if (!status.isObject()) {
        return Optional.empty();
      }
      if (status.hasNonNull("err")) {
        return Optional.of("execution_reverted");
      }
      final String level = status.path("confirmationStatus").asText();
      return level.equals("confirmed") || level.equals("finalized") ? Optional.of("confirmed") : Optional.empty();
    } catch (ChainUnavailableException | JsonRpcException e) {
      return Optional.empty();
    }
  }

  /** Whether the caller's transaction carries the dummy blockhash; unparsable input is left to the enclave to refuse. */
  private static boolean needsBlockhash(final ObjectNode body) {
    try {
      final String text = body.path("params").path("transaction").asText("").replaceAll("=+$", "");
      final byte[] bytes = Base64.getDecoder().decode(text + "==".substring(0, (4 - text.length() % 4) % 4));
      return SolanaTransaction.parse(bytes).message().hasDummyBlockhash();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private Item record(final String appId, final WalletRecord wallet, final String caip2, final String hash,
      final String signed, final ObjectNode body, final Optional<String> claimId, final Optional<java.time.Instant> claimExpiry) {
    final long now = clock.millis();
    final String id = ids.apply(wallet.id(), now);
    final ObjectNode doc = Json.object()
        .put("id", id)
        .put("wallet_id", wallet.id())
        .put("caip2", caip2)
        .put("status", "broadcasted")
        .put("transaction_hash", hash)
        .put("signed_transaction", signed)
        .put("method", METHOD)
        .put("from", wallet.address())
        .put("created_at", now)
        .put("sponsored", false);
    doc.put("reference_id", body.path("reference_id").isTextual() ? body.path("reference_id").asText() : null);
    final Item item = Item.of(appId, kind, id, doc.toString());
    final List<Item> items = new java.util.ArrayList<>(List.of(item));
    claimId.ifPresent(claim -> {
      final Item claimItem = Item.of(appId, SendClaims.KIND, claim, Json.object().put("transaction_id", id).toString());
      items.add(claimExpiry.map(claimItem::withExpiresAt).orElse(claimItem));
    });
    store.createAll(items);
    return item;
  }

  /** Node errors in Privy's vocabulary. */
  private static <T> T chainCall(final java.util.function.Supplier<T> call) {
    try {
      return call.get();
    } catch (JsonRpcException e) {
      final String message = e.getMessage() == null ? "" : e.getMessage();
      final String lower = message.toLowerCase(Locale.ROOT);
      if (lower.contains("insufficient") || lower.contains("accountnotfound") || lower.contains("account not found")) {
        throw new ApiException(400, "insufficient_funds", "Transaction broadcast failed: the fee payer cannot pay. Details: "
            + bounded(message));
      }
      throw new ApiException(400, "transaction_broadcast_failure", "Transaction broadcast failed: " + bounded(message));
    } catch (ChainUnavailableException e) {
      throw new ApiException(503, "chain_unavailable", "The cluster's RPC endpoint did not answer; it is safe to retry.");
    }
  }

  private static String bounded(final String text) {
    final String cut = text.length() > 300 ? text.substring(0, 300) + "..." : text;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
