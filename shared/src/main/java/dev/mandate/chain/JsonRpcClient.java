package dev.mandate.chain;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.config.Settings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A JSON-RPC 2.0 client for one Ethereum node endpoint over HTTP(S), on the JDK's
 * {@link HttpClient}. Thread-safe; make one per endpoint and share it.
 *
 * <p>Nothing is logged. The endpoint URL is never put in a message (provider URLs often embed an
 * API key): messages name it as {@link #endpointLabel()}, scheme and host only.
 */
public final class JsonRpcClient {
  /** Seconds a call may take, connect included: {@value #DEFAULT_TIMEOUT_SECONDS} unless set. */
  public static final String TIMEOUT_SETTING = "MANDATE_RPC_TIMEOUT_SECONDS";
  static final int DEFAULT_TIMEOUT_SECONDS = 5;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final URI endpoint;
  private final String label;
  private final Duration timeout;
  private final HttpClient http;
  private final HttpClient.Version version;
  private final AtomicLong ids = new AtomicLong();

  private JsonRpcClient(final Builder builder) {
    this.endpoint = builder.endpoint;
    this.label = label(builder.endpoint);
    this.timeout = builder.timeout;
    // Plain http:// gets HTTP/1.1: the JDK's h2c upgrade request confuses nodes that also serve
    // WebSockets on the port (hardhat, anvil) and some proxies. https:// negotiates HTTP/2 by ALPN.
    this.version = "https".equalsIgnoreCase(builder.endpoint.getScheme())
        ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1;
    this.http = builder.http.orElseGet(() -> HttpClient.newBuilder()
        .connectTimeout(builder.timeout)
        .followRedirects(HttpClient.Redirect.NEVER)
        .build());
  }

  /** A client with the default timeout (from {@value #TIMEOUT_SETTING}, else 10 s). */
  public static JsonRpcClient of(final URI endpoint) {
    return builder(endpoint).build();
  }

  public static Builder builder(final URI endpoint) {
    return new Builder(endpoint);
  }

  /**
   * Calls {@code method} with positional {@code params} (Jackson-serialisable: strings, numbers,
   * maps, {@link JsonNode}s) and returns the {@code result}, a {@link NullNode} when it is null.
   *
   * @throws JsonRpcException when the node answers an error object
   * @throws ChainUnavailableException when it cannot be reached, times out or answers non-JSON-RPC
   */
  public JsonNode call(final String method, final Object... params) {
    final long id = ids.incrementAndGet();
    final HttpResponse<String> response = post(request(id, method, params), method);
    final JsonNode body = parse(response, method);
    final JsonNode error = body.get("error");
    if (error != null && !error.isNull()) {
      throw error(error);
    }
    if (!body.has("result")) {
      throw new ChainUnavailableException(label + " answered " + method + " with neither result nor error");
    }
    return body.get("result");
  }

  /** {@code scheme://host[:port]}, what messages call this endpoint. */
  public String endpointLabel() {
    return label;
  }

  private byte[] request(final long id, final String method, final Object[] params) {
    final ObjectNode request = MAPPER.createObjectNode();
    request.put("jsonrpc", "2.0");
    request.put("id", id);
    request.put("method", method);
    request.set("params", MAPPER.valueToTree(Arrays.asList(params)));
    try {
      return MAPPER.writeValueAsBytes(request);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("params of " + method + " are not serialisable", e);
    }
  }

  private HttpResponse<String> post(final byte[] payload, final String method) {
    final HttpRequest request = HttpRequest.newBuilder(endpoint)
        .version(version)
        .timeout(timeout)
        .header("Content-Type", "application/json")
        .header("Accept", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(payload))
        .build();
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (HttpTimeoutException e) {
      throw new ChainUnavailableException(label + " did not answer " + method + " within " + timeout.toSeconds() + " s", e);
    } catch (IOException e) {
      throw new ChainUnavailableException(label + " could not be reached for " + method + ": "
          + e.getClass().getSimpleName(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ChainUnavailableException("interrupted while calling " + method + " on " + label, e);
    }
  }

  /** Some providers answer JSON-RPC errors with HTTP 4xx/5xx: read the body before judging the status. */
  private JsonNode parse(final HttpResponse<String> response, final String method) {
    final Optional<JsonNode> body = readTree(response.body()).filter(JsonNode::isObject);
    if (body.isPresent() && (response.statusCode() == 200 || body.get().has("error"))) {
      return body.get();
    }
    throw new ChainUnavailableException(label + " answered " + method + " with HTTP " + response.statusCode()
        + (body.isPresent() ? "" : " and no JSON-RPC body"));
  }

  private static Optional<JsonNode> readTree(final String text) {
    try {
      return Optional.ofNullable(MAPPER.readTree(text));
    } catch (JsonProcessingException e) {
      return Optional.empty();
    }
  }

  private static JsonRpcException error(final JsonNode error) {
    final int code = error.path("code").asInt(0);
    final String message = error.path("message").asText("(no message)");
    final Optional<JsonNode> data = Optional.ofNullable(error.get("data")).filter(d -> !d.isNull());
    return new JsonRpcException(code, message, data);
  }

  static String label(final URI endpoint) {
    final String port = endpoint.getPort() == -1 ? "" : ":" + endpoint.getPort();
    return endpoint.getScheme() + "://" + endpoint.getHost() + port;
  }

  /** Builds a {@link JsonRpcClient}; only the endpoint is required. */
  public static final class Builder {
    private final URI endpoint;
    private Duration timeout = Duration.ofSeconds(
        Settings.getInt(TIMEOUT_SETTING, DEFAULT_TIMEOUT_SECONDS));
    private Optional<HttpClient> http = Optional.empty();

    private Builder(final URI endpoint) {
      final String scheme = endpoint.getScheme();
      if (!"http".equalsIgnoreCase(scheme) && !"https".equalsIgnoreCase(scheme) || endpoint.getHost() == null) {
        throw new IllegalArgumentException("RPC endpoint must be an http(s) URL with a host");
      }
      this.endpoint = endpoint;
    }

    /** Per call, connect included. */
    public Builder timeout(final Duration timeout) {
      if (timeout.isNegative() || timeout.isZero()) {
        throw new IllegalArgumentException("timeout must be positive");
      }
      this.timeout = timeout;
      return this;
    }

    /** Shares an {@link HttpClient} (e.g. one for every chain); its own connect timeout then applies. */
    public Builder httpClient(final HttpClient client) {
      this.http = Optional.of(client);
      return this;
    }

    public JsonRpcClient build() {
      return new JsonRpcClient(this);
    }
  }
}
