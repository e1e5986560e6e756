package dev.mandate.chain.solana;

import dev.mandate.chain.JsonRpcClient;
import dev.mandate.config.Settings;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The Solana clusters Mandate can send on: {@code MANDATE_RPC_URL_SOLANA_MAINNET}, {@code _DEVNET},
 * {@code _TESTNET} (a system property, else an environment variable), each an http(s) JSON-RPC URL.
 * A cluster without one is not supported for sending.
 */
public final class SolanaClusters {
  public static final String RPC_URL_PREFIX = "MANDATE_RPC_URL_SOLANA_";
  /** CAIP-2 id (the first 32 characters of the genesis hash) to cluster name. */
  public static final Map<String, String> CAIP2 = Map.of(
      "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp", "MAINNET",
      "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1", "DEVNET",
      "solana:4uhcVJyU9pJkvQyS88uRDiswHXSCkY3z", "TESTNET");

  private final Map<String, JsonRpcClient> clients;

  public SolanaClusters(final Map<String, URI> urlsByCaip2) {
    final Map<String, JsonRpcClient> built = new LinkedHashMap<>();
    urlsByCaip2.forEach((caip2, url) -> built.put(caip2, JsonRpcClient.of(url)));
    this.clients = Map.copyOf(built);
  }

  /**
   * Reads the three settings.
   *
   * @throws IllegalArgumentException naming the setting when a URL is malformed (never echoing it: it may hold an API key)
   */
  public static SolanaClusters fromEnvironment() {
    final Map<String, URI> urls = new LinkedHashMap<>();
    CAIP2.forEach((caip2, cluster) -> Settings.get(RPC_URL_PREFIX + cluster)
        .ifPresent(value -> urls.put(caip2, dev.mandate.chain.Chains.rpcUrl(RPC_URL_PREFIX + cluster, value))));
    return new SolanaClusters(urls);
  }

  /** The client for a cluster's CAIP-2 id, empty when none is configured. */
  public Optional<JsonRpcClient> forCaip2(final String caip2) {
    return Optional.ofNullable(clients.get(caip2));
  }

  /** The setting that configures {@code caip2}'s cluster, for messages. */
  public static String settingFor(final String caip2) {
    return RPC_URL_PREFIX + CAIP2.getOrDefault(caip2, "<CLUSTER>");
  }
}
