package dev.mandate.enclave.protocol;

import java.util.Map;
import java.util.Optional;

/**
 * The caller's HTTP request, as much of it as an authorization signature covers, forwarded verbatim.
 * The enclave rebuilds the signed payload from it, so a host cannot sign one thing and execute another.
 *
 * @param method upper-case HTTP method
 * @param baseUrl the public base URL the caller used (no trailing slash), e.g. {@code https://api.example.com}
 * @param path the request path, e.g. {@code /v1/wallets/abc/rpc} or {@code /api/v1/wallets/abc/rpc}
 * @param body the body text, or empty
 * @param privyHeaders {@code privy-app-id}, and {@code privy-idempotency-key} / {@code privy-request-expiry} when sent
 * @param signatures the {@code privy-authorization-signature} header, when sent
 */
public record HttpEnvelope(
    String method,
    String baseUrl,
    String path,
    String body,
    Map<String, String> privyHeaders,
    Optional<String> signatures) {

  public HttpEnvelope {
    privyHeaders = Map.copyOf(privyHeaders);
    body = body == null ? "" : body;
  }
}
