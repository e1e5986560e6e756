package dev.mandate.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.local.TemplateRoutes.RouteSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The event the runner builds must equal what API Gateway sends. {@code events/http-api-v2-rpc.json}
 * is an HTTP API payload 2.0 event in the documented shape (docs.aws.amazon.com/apigateway/latest/
 * developerguide/http-api-develop-integrations-lambda.html) for a Privy SDK call; the request
 * below is the HTTP request that produced it.
 */
class EventConverterTest {
  private static final ObjectMapper JSON = new ObjectMapper().setDefaultPropertyInclusion(JsonInclude.Include.NON_NULL);
  private static final RouteSpec RPC = new RouteSpec("POST", "/api/v1/wallets/{wallet_id}/rpc", "SignFunction", "RpcApi");
  private static final String BODY = "{\"method\":\"personal_sign\",\"params\":{\"message\":\"hello\",\"encoding\":\"utf-8\"}}";

  @Test
  void matchesTheApiGatewaySample() throws IOException {
    final Map<String, List<String>> headers = new LinkedHashMap<>();
    // As a client sends them: mixed case, one header repeated, cookies in one Cookie header.
    headers.put("Accept", List.of("application/json"));
    headers.put("Authorization", List.of("Basic aW5zZWN1cmUtdGVzdC1hcHA6bm90LWEtc2VjcmV0"));
    headers.put("Content-Length", List.of("74"));
    headers.put("Content-Type", List.of("application/json"));
    headers.put("Cookie", List.of("session=abc; theme=dark"));
    headers.put("Host", List.of("abc123defg.execute-api.us-east-1.amazonaws.com"));
    headers.put("Privy-App-Id", List.of("insecure-test-app"));
    headers.put("privy-authorization-signature", List.of("c2lnMQ==", "c2lnMg=="));
    headers.put("User-Agent", List.of("privy-node/0.1"));
    final LocalRequest request = new LocalRequest("POST", "/api/v1/wallets/y5k2xl1mbg3ph2c0n3wvf7qa/rpc",
        "trace=1&tag=a&tag=b%20c", headers, BODY.getBytes(StandardCharsets.UTF_8), "203.0.113.7", "HTTP/1.1", 443);
    final RouteTable.Found match = new RouteTable.Found(RPC, Map.of("wallet_id", "y5k2xl1mbg3ph2c0n3wvf7qa"));

    final APIGatewayV2HTTPEvent event = new EventConverter("123456789012", "abc123defg", "https")
        .convert(request, match, "JKJaXmPLvHcESHA=", Instant.ofEpochMilli(1741806238390L));

    final ObjectNode actual = JSON.valueToTree(event);
    final ObjectNode expected = (ObjectNode) sample("events/http-api-v2-rpc.json");
    // The trace id is random per request; check its shape, then compare everything else exactly.
    assertThat(actual.at("/headers/x-amzn-trace-id").asText()).matches("Root=1-67d1da9e-[0-9a-f]{24}");
    ((ObjectNode) actual.get("headers")).remove("x-amzn-trace-id");
    ((ObjectNode) expected.get("headers")).remove("x-amzn-trace-id");
    assertThat(actual).isEqualTo(expected);
  }

  @Test
  void minimalGetHasNoBodyNoQueryAndNoOptionalMaps() {
    final LocalRequest request = new LocalRequest("GET", "/v1/things", null, Map.of("Host", List.of("127.0.0.1:8080")),
        new byte[0], "127.0.0.1", "HTTP/1.1", 8080);
    final APIGatewayV2HTTPEvent event = new EventConverter("000000000000", "local", "http")
        .convert(request, new RouteTable.Found(new RouteSpec("GET", "/v1/things", "F", "E"), Map.of()), "id", Instant.now());

    assertThat(event.getBody()).isNull();
    assertThat(event.getIsBase64Encoded()).isFalse();
    assertThat(event.getRawQueryString()).isEmpty();
    assertThat(event.getQueryStringParameters()).isNull();
    assertThat(event.getPathParameters()).isNull();
    assertThat(event.getCookies()).isNull();
    assertThat(event.getHeaders()).containsEntry("x-forwarded-proto", "http").containsEntry("x-forwarded-port", "8080")
        .containsEntry("x-forwarded-for", "127.0.0.1").containsEntry("host", "127.0.0.1:8080");
    assertThat(event.getRequestContext().getDomainName()).isEqualTo("127.0.0.1:8080");
    assertThat(event.getRequestContext().getHttp().getUserAgent()).isEmpty();
    assertThat(event.getRequestContext().getStage()).isEqualTo("$default");
    assertThat(event.getRouteKey()).isEqualTo("GET /v1/things");
  }

  @Test
  void nonUtf8BodyIsBase64Encoded() {
    final byte[] body = {(byte) 0xff, 0x00, (byte) 0xc3};
    final LocalRequest request = new LocalRequest("POST", "/v1/things", "", Map.of(), body, "127.0.0.1", "HTTP/1.1", 8080);
    final APIGatewayV2HTTPEvent event = new EventConverter("000000000000", "local", "http")
        .convert(request, new RouteTable.Found(new RouteSpec("POST", "/v1/things", "F", "E"), Map.of()), "id", Instant.now());

    assertThat(event.getIsBase64Encoded()).isTrue();
    assertThat(Base64.getDecoder().decode(event.getBody())).isEqualTo(body);
  }

  @Test
  void queryParametersDecodeAndJoin() {
    assertThat(EventConverter.queryParameters("a=1&a=2&b=x+y%2Bz&flag&=e&c=%zz"))
        .containsExactly(Map.entry("a", "1,2"), Map.entry("b", "x y+z"), Map.entry("flag", ""), Map.entry("", "e"),
            Map.entry("c", "%zz"));
    assertThat(EventConverter.queryParameters("")).isNull();
  }

  private static JsonNode sample(final String name) throws IOException {
    try (InputStream in = EventConverterTest.class.getResourceAsStream("/" + name)) {
      return JSON.readTree(in);
    }
  }
}
