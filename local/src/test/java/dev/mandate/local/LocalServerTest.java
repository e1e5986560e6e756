package dev.mandate.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mandate.local.testing.BinaryHandler;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** End to end: the runner on a free port, serving test handlers, called over real HTTP. */
class LocalServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final ByteArrayOutputStream LOG = new ByteArrayOutputStream();
  private static LocalRunner runner;
  private static HttpClient http;

  @BeforeAll
  static void start() {
    runner = LocalRunner.start(TestTemplates.resource("test-template.yaml"), 0, Backend.none(), System.out,
        new PrintStream(LOG, true, StandardCharsets.UTF_8));
    http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
  }

  @AfterAll
  static void stop() {
    if (runner != null) {
      runner.close();
    }
  }

  private static HttpRequest.Builder request(final String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(runner.baseUrl() + pathAndQuery)).timeout(Duration.ofSeconds(20));
  }

  private static HttpResponse<String> send(final HttpRequest request) throws IOException, InterruptedException {
    return http.send(request, BodyHandlers.ofString());
  }

  @Test
  void getDeliversApiGatewayEventAndWritesHandlerResponse() throws Exception {
    final HttpResponse<String> response = send(request("/v1/things/t%201?x=1&x=2&y=a+b")
        .header("X-Custom", "A").header("Cookie", "k1=v1; k2=v2").header("User-Agent", "test-agent").GET().build());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/json");
    assertThat(response.headers().firstValue("x-echo")).hasValue("1");
    assertThat(response.headers().allValues("x-multi")).containsExactly("a", "b");
    assertThat(response.headers().allValues("set-cookie")).containsExactly("c1=v1; Path=/");

    final JsonNode body = JSON.readTree(response.body());
    final JsonNode event = body.get("event");
    assertThat(event.get("version").asText()).isEqualTo("2.0");
    assertThat(event.get("routeKey").asText()).isEqualTo("GET /v1/things/{thing_id}");
    assertThat(event.get("rawPath").asText()).isEqualTo("/v1/things/t%201");
    assertThat(event.get("rawQueryString").asText()).isEqualTo("x=1&x=2&y=a+b");
    assertThat(event.at("/pathParameters/thing_id").asText()).isEqualTo("t 1");
    assertThat(event.at("/queryStringParameters/x").asText()).isEqualTo("1,2");
    assertThat(event.at("/queryStringParameters/y").asText()).isEqualTo("a b");
    assertThat(event.at("/headers/x-custom").asText()).isEqualTo("A");
    assertThat(event.at("/headers/host").asText()).isEqualTo("127.0.0.1:" + runner.port());
    assertThat(event.at("/headers").has("cookie")).isFalse();
    assertThat(event.get("cookies")).extracting(JsonNode::asText).containsExactly("k1=v1", "k2=v2");
    assertThat(event.has("body")).isFalse();
    assertThat(event.get("isBase64Encoded").asBoolean()).isFalse();
    assertThat(event.at("/requestContext/http/method").asText()).isEqualTo("GET");
    assertThat(event.at("/requestContext/http/path").asText()).isEqualTo("/v1/things/t%201");
    assertThat(event.at("/requestContext/http/protocol").asText()).isEqualTo("HTTP/1.1");
    assertThat(event.at("/requestContext/http/sourceIp").asText()).isEqualTo("127.0.0.1");
    assertThat(event.at("/requestContext/http/userAgent").asText()).isEqualTo("test-agent");
    assertThat(event.at("/requestContext/domainName").asText()).isEqualTo("127.0.0.1:" + runner.port());
    assertThat(event.at("/requestContext/stage").asText()).isEqualTo("$default");
    assertThat(event.at("/requestContext/routeKey").asText()).isEqualTo("GET /v1/things/{thing_id}");
    assertThat(event.at("/requestContext/timeEpoch").asLong()).isCloseTo(System.currentTimeMillis(), org.assertj.core.data.Offset.offset(60_000L));
    assertThat(event.at("/requestContext/requestId").asText()).isNotBlank().isEqualTo(body.get("awsRequestId").asText());
    assertThat(body.get("functionName").asText()).isEqualTo("EchoFunction");
    assertThat(body.get("memory").asInt()).isEqualTo(2048);
    assertThat(body.get("remaining").asInt()).isBetween(1, 7000);
  }

  @Test
  void postBodiesArriveAsTextOrBase64() throws Exception {
    final String json = "{\"chain_type\":\"ethereum\",\"note\":\"caf\u00e9\"}";
    final JsonNode text = JSON.readTree(send(request("/v1/things").header("Content-Type", "application/json")
        .POST(BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build()).body()).get("event");
    assertThat(text.get("body").asText()).isEqualTo(json);
    assertThat(text.get("isBase64Encoded").asBoolean()).isFalse();
    assertThat(text.get("routeKey").asText()).isEqualTo("POST /v1/things");

    final byte[] binary = {(byte) 0xff, (byte) 0xfe, 0x01};
    final JsonNode bin = JSON.readTree(send(request("/v1/things")
        .POST(BodyPublishers.ofByteArray(binary)).build()).body()).get("event");
    assertThat(bin.get("isBase64Encoded").asBoolean()).isTrue();
    assertThat(java.util.Base64.getDecoder().decode(bin.get("body").asText())).isEqualTo(binary);
  }

  @Test
  void base64ResponsesAreDecoded() throws Exception {
    final HttpResponse<byte[]> response = http.send(request("/v1/blob").GET().build(), BodyHandlers.ofByteArray());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo(BinaryHandler.BYTES);
    assertThat(response.headers().firstValue("content-type")).hasValue("application/octet-stream");
  }

  @Test
  void handlerStatusIsPassedThrough() throws Exception {
    assertThat(send(request("/v1/things?status=418").GET().build()).statusCode()).isEqualTo(418);
  }

  @Test
  void unknownPathIs404AndWrongMethodIs405() throws Exception {
    final HttpResponse<String> notFound = send(request("/v1/nope").GET().build());
    assertThat(notFound.statusCode()).isEqualTo(404);
    assertThat(notFound.body()).isEqualTo("{\"error\":\"Not found\",\"code\":\"not_found\"}");
    assertThat(notFound.headers().firstValue("content-type")).hasValue("application/json");

    final HttpResponse<String> wrongMethod = send(request("/v1/things").DELETE().build());
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(wrongMethod.body()).isEqualTo("{\"error\":\"Method not allowed\",\"code\":\"method_not_allowed\"}");
    assertThat(wrongMethod.headers().firstValue("allow")).hasValue("GET, POST");
  }

  @Test
  void bodiesOverOneMebibyteAre413WithOrWithoutContentLength() throws Exception {
    final byte[] big = new byte[LocalServer.MAX_BODY_BYTES + 1];
    final HttpResponse<String> sized = send(request("/v1/things").POST(BodyPublishers.ofByteArray(big)).build());
    assertThat(sized.statusCode()).isEqualTo(413);
    assertThat(sized.body()).contains("\"code\":\"payload_too_large\"");

    final HttpResponse<String> chunked = send(request("/v1/things")
        .POST(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))).build());
    assertThat(chunked.statusCode()).isEqualTo(413);

    final byte[] atLimit = new byte[LocalServer.MAX_BODY_BYTES];
    assertThat(send(request("/v1/things").POST(BodyPublishers.ofByteArray(atLimit)).build()).statusCode()).isEqualTo(200);
  }

  @Test
  void handlerExceptionIs500LikeApiGateway() throws Exception {
    final HttpResponse<String> response = send(request("/v1/things/x/boom").POST(BodyPublishers.ofString("{}")).build());
    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
    assertThat(LOG.toString(StandardCharsets.UTF_8)).contains("[FailingFunction] handler threw java.lang.IllegalStateException: boom");
  }

  @Test
  void oneHandlerInstanceServesConcurrentRequests() throws Exception {
    final List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
    for (int i = 0; i < 32; i++) {
      calls.add(http.sendAsync(request("/v1/things/c" + i).GET().build(), BodyHandlers.ofString()));
    }
    final Set<Integer> instances = new HashSet<>();
    for (int i = 0; i < calls.size(); i++) {
      final HttpResponse<String> response = calls.get(i).get();
      assertThat(response.statusCode()).isEqualTo(200);
      final JsonNode body = JSON.readTree(response.body());
      assertThat(body.at("/event/pathParameters/thing_id").asText()).isEqualTo("c" + i);
      instances.add(body.get("instance").asInt());
    }
    assertThat(instances).hasSize(1);
  }

  @Test
  void accessLogNeverContainsBodies() throws Exception {
    send(request("/v1/things").POST(BodyPublishers.ofString("{\"secret\":\"do-not-log-me\"}")).build());
    assertThat(LOG.toString(StandardCharsets.UTF_8)).contains("POST /v1/things -> 200").doesNotContain("do-not-log-me");
  }

  @Test
  void missingHandlerClassFailsStartupAndReleasesThePort(@TempDir final Path dir) throws IOException {
    final Path template = dir.resolve("template.yaml");
    Files.writeString(template, """
        Resources:
          Ghost:
            Type: AWS::Serverless::Function
            Properties:
              Handler: dev.mandate.local.testing.NoSuchHandler::handleRequest
              Events:
                Get:
                  Type: HttpApi
                  Properties:
                    Path: /v1/ghost
                    Method: GET
        """);
    final int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    assertThatThrownBy(() -> LocalRunner.start(template, port, Backend.none(), System.out, System.err))
        .isInstanceOf(StartupException.class)
        .hasMessageContaining("Ghost").hasMessageContaining("dev.mandate.local.testing.NoSuchHandler");
    try (ServerSocket again = new ServerSocket(port)) {
      assertThat(again.getLocalPort()).isEqualTo(port);
    }
  }
}
