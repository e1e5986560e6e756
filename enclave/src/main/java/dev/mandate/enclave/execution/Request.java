package dev.mandate.enclave.execution;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.enclave.InvalidRequestException;
import dev.mandate.enclave.authorization.AuthorizationPayload;
import dev.mandate.enclave.authorization.ExactNumbers;
import dev.mandate.enclave.protocol.HttpEnvelope;
import java.io.IOException;
import java.time.Instant;
import java.util.Optional;

/**
 * One request inside the enclave: the caller's HTTP request, its parsed body, and the payload its
 * authorization signatures must cover. Every body, signed or not, is refused when it holds a JSON
 * number RFC 8785 cannot carry exactly ({@link ExactNumbers}): a signature over it would cover a
 * rounded number, and no policy or signer should read one either.
 */
final class Request {
  /** Bodies are small; these bounds stop hostile JSON before it costs memory or stack. */
  // Floats as BigDecimal: a number is seen as written, and one the signature's canonical form (RFC 8785,
  // doubles) would round is refused (ExactNumbers). Duplicate keys and trailing values are refused:
  // which one counts is ambiguous, and the signature's parser refuses them too.
  private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder()
          .maxNestingDepth(64)
          .maxNumberLength(100)
          .maxStringLength(1 << 20)
          .build())
      .build())
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      // A second JSON value after the body would be ignored here but not by every reader.
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .build();

  final String appId;
  final HttpEnvelope http;
  final Instant now;
  // The body is parsed once per request: the tree the signature covers stays untouched here, and
  // actions get a copy of it (they may edit theirs).
  private JsonNode parsed;
  private ObjectNode body;
  private AuthorizationPayload payload;

  Request(final String appId, final HttpEnvelope http, final Instant now) {
    this.appId = appId;
    this.http = http;
    this.now = now;
  }

  /** The path without the {@code /api} prefix server-auth adds: {@code /v1/...}. */
  String path() {
    final String p = http.path();
    String normalized = p.startsWith("/api/v1/") ? p.substring(4) : p;
    while (normalized.length() > 1 && normalized.endsWith("/")) {
      normalized = normalized.substring(0, normalized.length() - 1);
    }
    return normalized;
  }

  /** The body as a JSON object; an absent or empty body is an empty object. */
  ObjectNode body() {
    if (body == null) {
      if (!(parsed() instanceof ObjectNode object)) {
        throw new InvalidRequestException("Request body must be a JSON object.");
      }
      body = object.deepCopy();
    }
    return body;
  }

  /** The body as any JSON value (condition-set items are sent as a bare array); absent → {}. */
  JsonNode rawBody() {
    return parsed().deepCopy();
  }

  AuthorizationPayload payload() {
    if (payload == null) {
      payload = AuthorizationPayload.ofParsed(http.method(), AuthorizationPayload.url(http.baseUrl(), http.path()),
          Optional.of(parsed()), http.privyHeaders());
    }
    return payload;
  }

  private JsonNode parsed() {
    if (parsed == null) {
      parsed = parse(http.body());
    }
    return parsed;
  }

  private static JsonNode parse(final String text) {
    if (text == null || text.isBlank()) {
      return JSON.createObjectNode();
    }
    try {
      final JsonNode node = JSON.readTree(text);
      ExactNumbers.check(node);
      return node;
    } catch (IOException | NumberFormatException e) {
      // NumberFormatException: a float whose exponent BigDecimal cannot hold (found by fuzzing).
      throw new InvalidRequestException("Request body is not valid JSON.");
    }
  }
}
