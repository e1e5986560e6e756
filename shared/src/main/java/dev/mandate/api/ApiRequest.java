package dev.mandate.api;

import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as the domain sees it, independent of Lambda's event classes.
 *
 * @param method upper-case HTTP method
 * @param path the raw path as received, e.g. {@code /api/v1/wallets/abc/rpc}
 * @param headers header names lower-cased (as API Gateway delivers them)
 * @param query decoded query parameters (the first value of each)
 * @param body the body as text, or empty
 * @param domainName the host the caller used (for the signed URL when no public URL is configured)
 */
public record ApiRequest(
    String method,
    String path,
    Map<String, String> headers,
    Map<String, String> query,
    Optional<String> body,
    Optional<String> domainName) {

  public Optional<String> header(final String lowerCaseName) {
    final String value = headers.get(lowerCaseName);
    return value == null ? Optional.empty() : Optional.of(value);
  }

  public Optional<String> queryParam(final String name) {
    return Optional.ofNullable(query.get(name));
  }
}
