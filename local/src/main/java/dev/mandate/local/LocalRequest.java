package dev.mandate.local;

import java.util.List;
import java.util.Map;

/**
 * An HTTP request as it reached the runner, before conversion to an API Gateway event.
 *
 * @param method the request method as sent
 * @param rawPath the path as sent, still percent-encoded
 * @param rawQuery the query string as sent (no "?"), or null
 * @param headers header names as sent (any case) with every value in order
 * @param body the body bytes (empty when there is none)
 * @param sourceIp the client address
 * @param protocol e.g. {@code HTTP/1.1}
 * @param localPort the port the runner listens on (for {@code x-forwarded-port})
 */
record LocalRequest(
    String method,
    String rawPath,
    String rawQuery,
    Map<String, List<String>> headers,
    byte[] body,
    String sourceIp,
    String protocol,
    int localPort) {}
