package dev.mandate.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted JSON-RPC endpoint on loopback: each method answers a canned {@code result} or
 * {@code error} JSON fragment; unscripted methods answer "method not found".
 */
final class StubNode implements AutoCloseable {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private final HttpServer server;
  private final Map<String, String> answers = new ConcurrentHashMap<>();
  private final List<JsonNode> requests = new CopyOnWriteArrayList<>();
  private volatile int status = 200;
  private volatile String rawBody;

  StubNode() {
    try {
      server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    server.createContext("/", exchange -> {
      final JsonNode request = MAPPER.readTree(exchange.getRequestBody());
      requests.add(request);
      final String body = rawBody != null ? rawBody
          : "{\"jsonrpc\":\"2.0\",\"id\":" + request.get("id") + ","
              + answers.getOrDefault(request.get("method").asText(),
                  "\"error\":{\"code\":-32601,\"message\":\"Method not found\"}") + "}";
      final byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(status, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
    server.start();
  }

  /** {@code method} answers {@code "result": <json>}. */
  StubNode result(final String method, final String json) {
    answers.put(method, "\"result\":" + json);
    return this;
  }

  /** {@code method} answers a JSON-RPC error. */
  StubNode error(final String method, final int code, final String message) {
    answers.put(method, "\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\",\"data\":\"0xdead\"}");
    return this;
  }

  /** Every request answers this HTTP status and body, whatever the method. */
  StubNode raw(final int httpStatus, final String body) {
    this.status = httpStatus;
    this.rawBody = body;
    return this;
  }

  List<JsonNode> requests() {
    return requests;
  }

  List<String> methods() {
    return requests.stream().map(r -> r.get("method").asText()).toList();
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v2/secret-api-key");
  }

  JsonRpcClient client() {
    return JsonRpcClient.of(url());
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
