package dev.mandate.chain;

import dev.mandate.config.Settings;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The EVM chains Mandate can send transactions on: one {@link JsonRpcClient} per chain id.
 *
 * <p>Configured by {@code MANDATE_RPC_URL_EIP155_<chain id>=<http(s) URL>} settings (a system
 * property, else an environment variable), e.g. {@code MANDATE_RPC_URL_EIP155_31337}. A chain
 * without one is not supported for sending.
 */
public final class Chains {
  public static final String RPC_URL_PREFIX = "MANDATE_RPC_URL_EIP155_";
  private static final String CAIP2_PREFIX = "eip155:";

  private final Map<Long, JsonRpcClient> clients;

  /** One client per entry, all sharing one HTTP connection pool. */
  public Chains(final Map<Long, URI> rpcUrls) {
    final HttpClient http = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(Settings.getInt(JsonRpcClient.TIMEOUT_SETTING,
            JsonRpcClient.DEFAULT_TIMEOUT_SECONDS)))
        .followRedirects(HttpClient.Redirect.NEVER)
        .build();
    final Map<Long, JsonRpcClient> built = new TreeMap<>();
    rpcUrls.forEach((chainId, url) -> {
      if (chainId <= 0) {
        throw new IllegalArgumentException("chain id must be positive: " + chainId);
      }
      built.put(chainId, JsonRpcClient.builder(url).httpClient(http).build());
    });
    this.clients = Collections.unmodifiableMap(built);
  }

  /**
   * Reads every {@code MANDATE_RPC_URL_EIP155_<chain id>} among system properties and environment
   * variables (a property wins over a variable of the same name).
   *
   * @throws IllegalArgumentException naming the setting when a chain id or URL is malformed
   */
  public static Chains fromEnvironment() {
    final Stream<String> names = Stream.concat(
        System.getProperties().stringPropertyNames().stream(), System.getenv().keySet().stream());
    return new Chains(parse(names.collect(Collectors.toSet()), Settings::get));
  }

  static Map<Long, URI> parse(final Set<String> names, final Function<String, Optional<String>> lookup) {
    final Map<Long, URI> urls = new TreeMap<>();
    for (final String name : new TreeSet<>(names)) {
      if (name.startsWith(RPC_URL_PREFIX)) {
        lookup.apply(name).ifPresent(value -> urls.put(settingChainId(name), rpcUrl(name, value)));
      }
    }
    return urls;
  }

  private static long settingChainId(final String name) {
    return parseChainId(name.substring(RPC_URL_PREFIX.length())).orElseThrow(() -> new IllegalArgumentException(
        name + " must end in a positive decimal chain id, e.g. " + RPC_URL_PREFIX + "1"));
  }

  /** An RPC endpoint setting's value as an http(s) URL; errors name the setting, never the value (it may hold an API key). */
  public static URI rpcUrl(final String name, final String value) {
    try {
      final URI uri = new URI(value);
      final String scheme = String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
        throw new IllegalArgumentException(name + " must be an http(s) URL with a host");
      }
      return uri;
    } catch (URISyntaxException e) {
      // The value may hold an API key: name the setting, not the value.
      throw new IllegalArgumentException(name + " is not a valid URL");
    }
  }

  /** The client for a chain, empty when none is configured. */
  public Optional<JsonRpcClient> forChainId(final long chainId) {
    return Optional.ofNullable(clients.get(chainId));
  }

  /** Configured chain ids, ascending. */
  public Set<Long> chainIds() {
    return clients.keySet();
  }

  /**
   * The chain id of {@code eip155:<decimal>}.
   *
   * @throws InvalidCaip2Exception for anything else (other namespaces, zero, leading zeros, signs,
   *     values beyond a signed 64-bit integer)
   */
  public static long chainIdFromCaip2(final String caip2) {
    if (caip2 == null || !caip2.startsWith(CAIP2_PREFIX)) {
      throw new InvalidCaip2Exception("caip2 must be \"eip155:<chain id>\"");
    }
    return parseChainId(caip2.substring(CAIP2_PREFIX.length()))
        .orElseThrow(() -> new InvalidCaip2Exception("caip2 must be \"eip155:<chain id>\" with a positive decimal chain id"));
  }

  /** The CAIP-2 id of an EVM chain: {@code eip155:<chainId>}. */
  public static String caip2(final long chainId) {
    return CAIP2_PREFIX + chainId;
  }

  private static Optional<Long> parseChainId(final String digits) {
    if (digits.isEmpty() || digits.length() > 19 || digits.charAt(0) == '0'
        || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return Optional.empty();
    }
    try {
      return Optional.of(Long.parseLong(digits));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }
}
