package dev.mandate.api;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One endpoint: a method and a path pattern such as {@code /v1/wallets/{wallet_id}/rpc}. Every
 * pattern is also served under {@code /api}, where Privy's server-auth SDK sends its requests.
 */
public record Route(String method, String pattern, Endpoint endpoint, Access access) {

  /** How callers of a route authenticate. */
  public enum Access {
    /** {@code Authorization: Basic app_id:app_secret} and {@code privy-app-id} (every Privy endpoint). */
    APP_SECRET,
    /**
     * As above, or {@code Authorization: Bearer <user JWT>} with {@code privy-app-id}: the user's login
     * proves who calls, so an app's frontend can call without the app secret.
     */
    APP_SECRET_OR_USER_JWT
  }

  public Route(final String method, final String pattern, final Endpoint endpoint) {
    this(method, pattern, endpoint, Access.APP_SECRET);
  }

  /** The domain code behind a route. */
  @FunctionalInterface
  public interface Endpoint {
    ApiResponse handle(Call call);
  }

  /** An authenticated request matched to a route. */
  public record Call(String appId, ApiRequest request, Map<String, String> pathParams) {
    public String param(final String name) {
      return pathParams.get(name);
    }
  }

  /** The path parameters when {@code path} fits this route's pattern (method aside). */
  public Optional<Map<String, String>> match(final String path) {
    final String[] want = split(pattern);
    final String[] got = split(stripApiPrefix(path));
    if (want.length != got.length) {
      return Optional.empty();
    }
    final Map<String, String> params = new HashMap<>();
    for (int i = 0; i < want.length; i++) {
      if (want[i].startsWith("{") && want[i].endsWith("}")) {
        if (got[i].isEmpty()) {
          return Optional.empty();
        }
        params.put(want[i].substring(1, want[i].length() - 1), decode(got[i]));
      } else if (!want[i].equals(got[i])) {
        return Optional.empty();
      }
    }
    return Optional.of(params);
  }

  static String stripApiPrefix(final String path) {
    return path.startsWith("/api/v1/") || path.equals("/api/v1") ? path.substring(4) : path;
  }

  private static String[] split(final String path) {
    String p = path;
    while (p.length() > 1 && p.endsWith("/")) {
      p = p.substring(0, p.length() - 1);
    }
    return p.startsWith("/") ? p.substring(1).split("/", -1) : p.split("/", -1);
  }

  private static String decode(final String segment) {
    return java.net.URLDecoder.decode(segment.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
  }
}
