package dev.mandate.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A plain HTTP client for the API, with app credentials and optional authorization signatures. */
public final class MandateHttp {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private final String baseUrl;
  private final String appId;
  private final String appSecret;

  public MandateHttp(final String baseUrl, final String appId, final String appSecret) {
    this.baseUrl = baseUrl;
    this.appId = appId;
    this.appSecret = appSecret;
  }

  /** Every response body this process received, for the secret scan (bounded). */
  private static final StringBuilder RESPONSES = new StringBuilder();
  private static final int MAX_RECORDED = 50 << 20;

  private static void record(final String body) {
    synchronized (RESPONSES) {
      if (RESPONSES.length() + body.length() < MAX_RECORDED) {
        RESPONSES.append(body).append('\n');
      }
    }
  }

  public static String responses() {
    synchronized (RESPONSES) {
      return RESPONSES.toString();
    }
  }

  public String appId() {
    return appId;
  }

  public String baseUrl() {
    return baseUrl;
  }

  public MandateHttp withCredentials(final String otherAppId, final String otherSecret) {
    return new MandateHttp(baseUrl, otherAppId, otherSecret);
  }

  /** A response: status, raw body, parsed body (a JSON null node when it is not JSON) and headers. */
  /** The path of a wallet's rpc route. */
  public static String rpc(final String wallet) {
    return "/v1/wallets/" + wallet + "/rpc";
  }

  /** The JSON body of a 2xx answer; otherwise the test fails, showing the answer. */
  public static JsonNode ok(final Response response) {
    org.assertj.core.api.Assertions.assertThat(response.status()).as(response.toString()).isBetween(200, 299);
    return response.json();
  }

  /** The JSON body of a 200 answer exactly; otherwise the test fails, showing the answer. */
  public static JsonNode ok200(final Response response) {
    org.assertj.core.api.Assertions.assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.json();
  }

  public record Response(int status, String raw, JsonNode json, java.net.http.HttpHeaders headers) {
    public Response(final int status, final String raw, final JsonNode json) {
      this(status, raw, json, java.net.http.HttpHeaders.of(Map.of(), (k, v) -> true));
    }

    public java.util.Optional<String> header(final String name) {
      return headers.firstValue(name);
    }

    public String error() {
      return json.path("error").asText();
    }

    public String code() {
      return json.path("code").asText();
    }

    @Override
    public String toString() {
      return status + " " + raw;
    }
  }

  public Response get(final String path) {
    return send("GET", path, null, Map.of());
  }

  public Response post(final String path, final String body) {
    return send("POST", path, body, Map.of());
  }

  /** Sends a request with the given extra headers (signatures, idempotency key, expiry). */
  public Response send(final String method, final String path, final String body, final Map<String, String> headers) {
    final Map<String, String> all = new LinkedHashMap<>();
    all.put("privy-app-id", appId);
    all.put("authorization", "Basic " + Base64.getEncoder()
        .encodeToString((appId + ":" + appSecret).getBytes(StandardCharsets.UTF_8)));
    if (body != null) {
      all.put("content-type", "application/json");
    }
    all.putAll(headers);
    return raw(method, path, body, all);
  }

  /** Sends exactly these headers (for credential tests). */
  public Response raw(final String method, final String path, final String body, final Map<String, String> headers) {
    final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    try {
      final HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json;
      try {
        json = JSON.readTree(response.body());
      } catch (IOException e) {
        json = JSON.nullNode();
      }
      record(response.body());
      return new Response(response.statusCode(), response.body(), json == null ? JSON.nullNode() : json, response.headers());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Signs and sends: the signature covers method, full URL, body and the privy-* headers sent. */
  public Response signed(final String method, final String path, final String body, final List<AuthKey> signers,
      final Map<String, String> privyHeaders) {
    final Map<String, String> headers = new LinkedHashMap<>(privyHeaders);
    final Map<String, String> signedHeaders = new LinkedHashMap<>(privyHeaders);
    signedHeaders.put("privy-app-id", appId);
    final StringBuilder signatures = new StringBuilder();
    for (final AuthKey signer : signers) {
      if (signatures.length() > 0) {
        signatures.append(',');
      }
      signatures.append(signer.sign(method, baseUrl + path, body, signedHeaders));
    }
    headers.put("privy-authorization-signature", signatures.toString());
    return send(method, path, body, headers);
  }

  public Response signed(final String method, final String path, final String body, final AuthKey... signers) {
    return signed(method, path, body, List.of(signers), Map.of());
  }

  public static String json(final Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
