package dev.mandate.enclave.authorization;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.enclave.InvalidRequestException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The exact bytes a Privy client signs for a request (privy-api.md §2.3):
 * RFC 8785 of {@code {version: 1, method, url, body, headers}} in UTF-8.
 *
 * <p>The body is the <em>parsed</em> request body, so whitespace and key order in the HTTP body do
 * not matter. An absent, empty or {@code {}} body is signed as {@code ""} (node SDK). {@link
 * #variants()} lists the other encodings real clients produce for the same request.
 */
public final class AuthorizationPayload {
  public static final String APP_ID = "privy-app-id";
  public static final String IDEMPOTENCY_KEY = "privy-idempotency-key";
  public static final String REQUEST_EXPIRY = "privy-request-expiry";
  private static final List<String> SIGNED_HEADERS = List.of(APP_ID, IDEMPOTENCY_KEY, REQUEST_EXPIRY);

  private static final ObjectMapper BODY_READER =
      JsonMapper.builder(
              JsonFactory.builder()
                  // The canonicalizer recurses per level; no wallet API body comes near this depth.
                  .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(256).build())
                  .build())
          // Rejected rather than last-wins: the signature must cover one unambiguous body.
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          // Numbers as written, so one that the canonical form would round is refused (ExactNumbers).
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
          .build();

  private final byte[] canonical;
  private final List<byte[]> variants;

  private AuthorizationPayload(final byte[] canonical, final List<byte[]> variants) {
    this.canonical = canonical;
    this.variants = variants;
  }

  /**
   * Builds the payload of one request.
   *
   * @param method HTTP method; upper-cased as clients sign it
   * @param url public base URL + path as the client saw it; any query string, fragment and trailing
   *     slash are dropped, as the SDKs never sign them
   * @param rawBody the HTTP body as received; null or blank means no body
   * @param requestHeaders the request's headers (any case, others ignored); {@code privy-app-id} is
   *     required, {@code privy-idempotency-key} and {@code privy-request-expiry} are signed verbatim
   *     when present
   * @throws InvalidRequestException if the body is not JSON or {@code privy-app-id} is missing
   */
  public static AuthorizationPayload of(
      final String method, final String url, final String rawBody, final Map<String, String> requestHeaders) {
    return ofParsed(method, url, parseBody(rawBody), requestHeaders);
  }

  /**
   * The same from a body the caller has already parsed (duplicate keys, trailing values and numbers
   * RFC 8785 would round refused, as {@link #of(String, String, String, Map)} refuses them), so a
   * request's body is parsed once. Not retained; an empty body is {@link Optional#empty()} or {}.
   */
  public static AuthorizationPayload ofParsed(final String method, final String url, final Optional<JsonNode> body,
      final Map<String, String> requestHeaders) {
    final ObjectNode base = JsonNodeFactory.instance.objectNode();
    base.put("version", 1);
    base.put("method", requireText(method, "method").toUpperCase(Locale.ROOT));
    base.put("url", stripQueryAndTrailingSlash(requireText(url, "url")));
    base.set("headers", signedHeaders(requestHeaders));

    if (body.isPresent() && !isEmptyObject(body.get())) {
      return new AuthorizationPayload(withBody(base, body.get()), List.of());
    }
    return new AuthorizationPayload(
        withBody(base, JsonNodeFactory.instance.textNode("")),
        // server-auth signs {} as {} (seen on DELETE); the Go SDK drops the key for a nil body.
        List.of(withBody(base, JsonNodeFactory.instance.objectNode()), Jcs.canonicalize(base)));
  }

  private static byte[] withBody(final ObjectNode base, final JsonNode body) {
    final ObjectNode payload = base.deepCopy();
    payload.set("body", body);
    return Jcs.canonicalize(payload);
  }

  /** Joins a configured public base URL and a request path the way the SDKs build signed URLs. */
  public static String url(final String publicBaseUrl, final String path) {
    final String base = stripQueryAndTrailingSlash(requireText(publicBaseUrl, "public base URL"));
    final String p = requireText(path, "path");
    return stripQueryAndTrailingSlash(base + (p.startsWith("/") ? p : "/" + p));
  }

  /** The primary encoding: what the node SDK and Privy's docs sign. A fresh copy. */
  public byte[] canonicalBytes() {
    return canonical.clone();
  }

  /**
   * Other encodings of the same request that clients sign, to be accepted as well: for a body-less
   * request, {@code "body":{}} (server-auth) and no {@code body} key (Go SDK). Empty otherwise.
   */
  public List<byte[]> variants() {
    return variants.stream().map(byte[]::clone).toList();
  }

  /** Primary then variants, uncopied; for verification inside this package. */
  List<byte[]> acceptedEncodings() {
    if (variants.isEmpty()) {
      return List.of(canonical);
    }
    return Stream.concat(Stream.of(canonical), variants.stream()).toList();
  }

  private static Optional<JsonNode> parseBody(final String rawBody) {
    if (rawBody == null || rawBody.isBlank()) {
      return Optional.empty();
    }
    final JsonNode body;
    try {
      body = BODY_READER.readTree(rawBody);
    } catch (JacksonException e) {
      throw new InvalidRequestException("request body is not valid JSON: " + e.getOriginalMessage());
    } catch (NumberFormatException e) {
      // A float whose exponent BigDecimal cannot hold (found by fuzzing): no double carries it either.
      throw new InvalidRequestException("request body holds a number that cannot be signed exactly");
    }
    ExactNumbers.check(body);
    return Optional.of(body);
  }

  private static boolean isEmptyObject(final JsonNode body) {
    return body.isObject() && body.isEmpty();
  }

  private static ObjectNode signedHeaders(final Map<String, String> requestHeaders) {
    final Map<String, String> byName = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    requestHeaders.forEach((name, value) -> {
      // Two spellings of one signed header leave it unclear which value the client signed.
      if (name != null && value != null && byName.putIfAbsent(name, value) != null
          && SIGNED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
        throw new InvalidRequestException(name + " header is given more than once");
      }
    });
    final ObjectNode headers = JsonNodeFactory.instance.objectNode();
    for (final String name : SIGNED_HEADERS) {
      Optional.ofNullable(byName.get(name)).ifPresent(value -> headers.put(name, value));
    }
    if (!headers.has(APP_ID) || headers.get(APP_ID).asText().isEmpty()) {
      throw new InvalidRequestException(APP_ID + " header is required");
    }
    return headers;
  }

  private static String stripQueryAndTrailingSlash(final String url) {
    String out = url;
    final int cut = firstIndexOf(out, '?', '#');
    if (cut >= 0) {
      out = out.substring(0, cut);
    }
    while (out.endsWith("/")) {
      out = out.substring(0, out.length() - 1);
    }
    return out;
  }

  private static int firstIndexOf(final String text, final char a, final char b) {
    final int i = text.indexOf(a);
    final int j = text.indexOf(b);
    return i < 0 ? j : (j < 0 ? i : Math.min(i, j));
  }

  private static String requireText(final String value, final String name) {
    if (value == null || value.isBlank()) {
      throw new InvalidRequestException(name + " is required to check an authorization signature");
    }
    return value;
  }
}
