package dev.mandate.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent.RequestContext;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns an HTTP request into the event API Gateway HTTP APIs send with payload format 2.0: header
 * names lower-cased and repeated headers comma-joined, {@code Cookie} moved to {@code cookies},
 * {@code x-forwarded-*} and {@code x-amzn-trace-id} added, query parameters decoded with repeated
 * names comma-joined, path parameters from the matched route, and the body as text, or base64 with
 * {@code isBase64Encoded} when it is not valid UTF-8.
 */
final class EventConverter {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH).withZone(ZoneOffset.UTC);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final String accountId;
  private final String apiId;
  private final String scheme;

  /** {@code scheme} is what {@code x-forwarded-proto} says: "http" locally, "https" behind API Gateway. */
  EventConverter(final String accountId, final String apiId, final String scheme) {
    this.accountId = accountId;
    this.apiId = apiId;
    this.scheme = scheme;
  }

  APIGatewayV2HTTPEvent convert(
      final LocalRequest request, final RouteTable.Found match, final String requestId, final Instant now) {
    final Map<String, String> headers = new LinkedHashMap<>();
    final List<String> cookies = new ArrayList<>();
    request.headers().forEach((name, values) -> {
      final String lower = name.toLowerCase(Locale.ROOT);
      if (lower.equals("cookie")) {
        for (final String value : values) {
          for (final String cookie : value.split(";")) {
            if (!cookie.isBlank()) {
              cookies.add(cookie.trim());
            }
          }
        }
        return;
      }
      final String joined = String.join(",", values);
      headers.merge(lower, joined, (a, b) -> a + "," + b);
    });
    final String forwardedFor = headers.get("x-forwarded-for");
    headers.put("x-forwarded-for", forwardedFor == null ? request.sourceIp() : forwardedFor + ", " + request.sourceIp());
    headers.put("x-forwarded-port", Integer.toString(request.localPort()));
    headers.put("x-forwarded-proto", scheme);
    headers.putIfAbsent("x-amzn-trace-id", traceId(now));

    final String host = headers.getOrDefault("host", "127.0.0.1:" + request.localPort());
    final String rawPath = request.rawPath() == null || request.rawPath().isEmpty() ? "/" : request.rawPath();
    final String rawQuery = request.rawQuery() == null ? "" : request.rawQuery();
    final String method = request.method().toUpperCase(Locale.ROOT);

    final RequestContext.Http http = RequestContext.Http.builder()
        .withMethod(method)
        .withPath(rawPath)
        .withProtocol(request.protocol())
        .withSourceIp(request.sourceIp())
        .withUserAgent(headers.getOrDefault("user-agent", ""))
        .build();
    final RequestContext context = RequestContext.builder()
        .withAccountId(accountId)
        .withApiId(apiId)
        .withDomainName(host)
        .withDomainPrefix(domainPrefix(host))
        .withHttp(http)
        .withRequestId(requestId)
        .withRouteKey(match.route().routeKey())
        .withStage("$default")
        .withTime(TIME.format(now))
        .withTimeEpoch(now.toEpochMilli())
        .build();

    final APIGatewayV2HTTPEvent event = APIGatewayV2HTTPEvent.builder()
        .withVersion("2.0")
        .withRouteKey(match.route().routeKey())
        .withRawPath(rawPath)
        .withRawQueryString(rawQuery)
        .withCookies(cookies.isEmpty() ? null : cookies)
        .withHeaders(headers)
        .withQueryStringParameters(queryParameters(rawQuery))
        .withPathParameters(match.pathParameters().isEmpty() ? null : new LinkedHashMap<>(match.pathParameters()))
        .withRequestContext(context)
        .build();
    setBody(event, request.body());
    return event;
  }

  private static void setBody(final APIGatewayV2HTTPEvent event, final byte[] body) {
    event.setIsBase64Encoded(false);
    if (body == null || body.length == 0) {
      return;
    }
    try {
      event.setBody(StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(body))
          .toString());
    } catch (CharacterCodingException notText) {
      event.setBody(Base64.getEncoder().encodeToString(body));
      event.setIsBase64Encoded(true);
    }
  }

  /** Decoded parameters, repeated names comma-joined; null when there is no query. */
  static Map<String, String> queryParameters(final String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return null;
    }
    final Map<String, String> params = new LinkedHashMap<>();
    for (final String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      final int eq = pair.indexOf('=');
      final String name = formDecode(eq < 0 ? pair : pair.substring(0, eq));
      final String value = eq < 0 ? "" : formDecode(pair.substring(eq + 1));
      params.merge(name, value, (a, b) -> a + "," + b);
    }
    return params.isEmpty() ? null : params;
  }

  private static String formDecode(final String text) {
    try {
      return RouteTable.percentDecode(text.replace('+', ' '));
    } catch (IllegalArgumentException malformed) {
      return text;
    }
  }

  private static String domainPrefix(final String host) {
    final String name = host.startsWith("[") ? host : host.replaceFirst(":\\d+$", "");
    final int dot = name.indexOf('.');
    return dot < 0 || Character.isDigit(name.charAt(0)) ? name : name.substring(0, dot);
  }

  private static String traceId(final Instant now) {
    final byte[] random = new byte[12];
    RANDOM.nextBytes(random);
    return "Root=1-" + Long.toHexString(now.getEpochSecond()) + "-" + HexFormat.of().formatHex(random);
  }

  /** An id shaped like API Gateway's (e.g. {@code JKJaXmPLvHcESHA=}). */
  static String newRequestId() {
    final byte[] random = new byte[10];
    RANDOM.nextBytes(random);
    return Base64.getEncoder().encodeToString(random);
  }
}
