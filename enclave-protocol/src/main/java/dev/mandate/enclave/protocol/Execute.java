package dev.mandate.enclave.protocol;

import java.util.List;

/**
 * Asks the enclave to carry out one API request that needs its power: create a wallet or key quorum,
 * sign with a wallet, change a wallet's owner or signers, change or delete a key quorum.
 *
 * <p>The enclave works out the action from the request's method and path, checks the seals of the
 * records it is given, checks the authorization signatures and the request expiry, and only then acts.
 *
 * @param appId the app the host authenticated (by its secret)
 * @param wrappedSealKey the app-independent sealing master key, wrapped ({@link CreateSealKey})
 * @param http the caller's request
 * @param records every stored record the action needs: the target, its owner and signer quorums and
 *     their children, quorums the request names; missing ones make the enclave refuse
 * @param dryRun decide, but do not sign (Mandate's {@code rpc/dry_run})
 * @param hostInputs what only the host can learn (it has the network), never trusted for power:
 *     {@code jwks} — the key set fetched from the app's sealed JWKS URL (the enclave verifies the JWT
 *     against it) and {@code jwks_url} — the URL it was fetched from (the enclave refuses the keys
 *     unless it is the sealed settings' URL); {@code transaction} — for {@code eth_sendTransaction}, the caller's transaction with
 *     nonce, gas and fees filled in (the enclave checks every field the caller set is unchanged);
 *     {@code aggregate.<id>} — the windowed sum an aggregation has reached before this request;
 *     {@code app_secret_sha256} — see {@link #APP_SECRET_SHA256} (only ever refuses)
 */
public record Execute(
    String appId,
    String wrappedSealKey,
    HttpEnvelope http,
    List<SealedRecord> records,
    boolean dryRun,
    java.util.Map<String, String> hostInputs)
    implements EnclaveRequest {
  public static final String JWKS = "jwks";
  /**
   * Lowercase hex SHA-256 of the app secret the host authenticated the request with (absent when it
   * was not authenticated by app secret: a user JWT, the recurring-action runner, in-process admin
   * calls). Then {@link #records} must include the app's sealed {@code app} record, and the enclave
   * refuses the request unless the two match.
   */
  public static final String APP_SECRET_SHA256 = "app_secret_sha256";
  public static final String JWKS_URL = "jwks_url";
  public static final String TRANSACTION = "transaction";
  /** A recent blockhash (base58) of the cluster, for a Solana send that asked for one. */
  public static final String SOLANA_BLOCKHASH = "solana_blockhash";
  public static final String AGGREGATE_PREFIX = "aggregate.";

  public Execute {
    records = List.copyOf(records);
    hostInputs = java.util.Map.copyOf(hostInputs);
  }

  public Execute(final String appId, final String wrappedSealKey, final HttpEnvelope http,
      final List<SealedRecord> records, final boolean dryRun) {
    this(appId, wrappedSealKey, http, records, dryRun, java.util.Map.of());
  }

  public java.util.Optional<String> hostInput(final String name) {
    return java.util.Optional.ofNullable(hostInputs.get(name));
  }
}
