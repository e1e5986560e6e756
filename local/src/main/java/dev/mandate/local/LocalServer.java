package dev.mandate.local;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Serves the routes over HTTP on a loopback address, turning each request into an API Gateway HTTP
 * API v2 event, calling the function's handler, and writing its response back. Request bodies are
 * never logged; one access line per request (method, path, status, time) goes to the log stream.
 */
final class LocalServer implements AutoCloseable {
  /** Bodies larger than this are refused with 413 before the handler sees them. */
  static final int MAX_BODY_BYTES = 1024 * 1024;
  static final int THREADS = 16;
  /** How much of an over-limit body is read and discarded before answering 413 (API Gateway's own cap). */
  private static final long DRAIN_LIMIT_BYTES = 10L * 1024 * 1024;

  private static final String NOT_FOUND = "{\"error\":\"Not found\",\"code\":\"not_found\"}";
  private static final String METHOD_NOT_ALLOWED = "{\"error\":\"Method not allowed\",\"code\":\"method_not_allowed\"}";
  private static final String TOO_LARGE = "{\"error\":\"Request body too large (limit 1 MiB)\",\"code\":\"payload_too_large\"}";
  /** What API Gateway itself answers when the Lambda invocation fails. */
  private static final String INTERNAL_ERROR = "{\"message\":\"Internal Server Error\"}";

  private final HttpServer server;
  private final ExecutorService executor;
  private final PrintStream log;
  private final EventConverter converter = new EventConverter(LocalContext.ACCOUNT, "local", "http");
  private volatile RouteTable routes;
  private volatile Map<String, FunctionInstances.Instance> functions;
  private volatile boolean started;

  private LocalServer(final HttpServer server, final PrintStream log) {
    this.server = server;
    this.log = log;
    final AtomicInteger count = new AtomicInteger();
    this.executor = Executors.newFixedThreadPool(THREADS, r -> {
      final Thread thread = new Thread(r, "mandate-local-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    });
  }

  /** Binds now (so the port is known, and taken, before anything else starts); serves after {@link #start}. */
  static LocalServer bind(final String host, final int port, final PrintStream log) {
    try {
      final HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(host), port), 64);
      return new LocalServer(server, log);
    } catch (IOException e) {
      throw new StartupException("cannot listen on " + host + ":" + port + ": " + e.getMessage(), e);
    }
  }

  int port() {
    return server.getAddress().getPort();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port();
  }

  void start(final RouteTable routeTable, final Map<String, FunctionInstances.Instance> instances) {
    this.routes = routeTable;
    this.functions = instances;
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
    started = true;
  }

  @Override
  public void close() {
    if (!started) {
      // A listening channel is only really closed by the dispatcher's selector, which runs once
      // started: without this, a start-up failure would keep the port bound until the JVM exits.
      server.start();
    }
    server.stop(0);
    executor.shutdownNow();
    try {
      executor.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void handle(final HttpExchange exchange) {
    final long started = System.nanoTime();
    final String method = exchange.getRequestMethod();
    final URI uri = exchange.getRequestURI();
    final String rawPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
    int status = 500;
    try (exchange) {
      status = respond(exchange, method, rawPath, uri.getRawQuery());
    } catch (IOException | RuntimeException e) {
      log.println("mandate-local: " + method + " " + rawPath + " failed while writing the response: " + e);
    } finally {
      log.printf("%s %s -> %d (%d ms)%n", method, rawPath, status, (System.nanoTime() - started) / 1_000_000);
    }
  }

  private int respond(final HttpExchange exchange, final String method, final String rawPath, final String rawQuery)
      throws IOException {
    final RouteTable.Match match = routes.match(method, rawPath);
    if (match instanceof RouteTable.NotFound) {
      return sendJson(exchange, 404, NOT_FOUND);
    }
    if (match instanceof RouteTable.MethodNotAllowed notAllowed) {
      exchange.getResponseHeaders().set("Allow", String.join(", ", notAllowed.allowed()));
      return sendJson(exchange, 405, METHOD_NOT_ALLOWED);
    }
    final RouteTable.Found found = (RouteTable.Found) match;
    final byte[] body = readBody(exchange);
    if (body == null) {
      return sendJson(exchange, 413, TOO_LARGE);
    }
    final FunctionInstances.Instance function = functions.get(found.route().function());
    final InetSocketAddress remote = exchange.getRemoteAddress();
    final LocalRequest request = new LocalRequest(method, rawPath, rawQuery, exchange.getRequestHeaders(), body,
        remote.getAddress().getHostAddress(), exchange.getProtocol(), port());
    final String requestId = EventConverter.newRequestId();
    final APIGatewayV2HTTPEvent event = converter.convert(request, found, requestId, Instant.now());
    final APIGatewayV2HTTPResponse response;
    try {
      response = function.handler().handleRequest(event, new LocalContext(function.spec(), requestId, log));
    } catch (RuntimeException | Error e) {
      log.println("[" + function.spec().name() + "] handler threw " + e);
      e.printStackTrace(log);
      return sendJson(exchange, 500, INTERNAL_ERROR);
    }
    if (response == null || response.getStatusCode() < 100 || response.getStatusCode() > 599) {
      log.println("[" + function.spec().name() + "] handler returned no valid status code");
      return sendJson(exchange, 500, INTERNAL_ERROR);
    }
    return send(exchange, response);
  }

  /** The whole body, or null when it is over the limit. */
  private static byte[] readBody(final HttpExchange exchange) throws IOException {
    try (InputStream in = exchange.getRequestBody()) {
      final String declared = exchange.getRequestHeaders().getFirst("Content-Length");
      if (declared != null && isOver(declared)) {
        drain(in);
        return null;
      }
      final byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      if (body.length > MAX_BODY_BYTES) {
        drain(in);
        return null;
      }
      return body;
    }
  }

  private static boolean isOver(final String contentLength) {
    try {
      return Long.parseLong(contentLength.trim()) > MAX_BODY_BYTES;
    } catch (NumberFormatException e) {
      return false; // the JDK server has already refused a malformed Content-Length
    }
  }

  /**
   * Reads and discards what the client is still sending (up to a bound), so it gets to read the 413
   * instead of a connection reset in the middle of its upload.
   */
  private static void drain(final InputStream in) throws IOException {
    final byte[] buffer = new byte[64 * 1024];
    long left = DRAIN_LIMIT_BYTES;
    int n;
    while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
      left -= n;
    }
  }

  private static int send(final HttpExchange exchange, final APIGatewayV2HTTPResponse response) throws IOException {
    final var headers = exchange.getResponseHeaders();
    if (response.getHeaders() != null) {
      response.getHeaders().forEach((name, value) -> {
        if (value != null) {
          headers.set(name, value);
        }
      });
    }
    if (response.getMultiValueHeaders() != null) {
      response.getMultiValueHeaders().forEach((name, values) -> {
        if (values != null) {
          values.forEach(value -> headers.add(name, value));
        }
      });
    }
    if (response.getCookies() != null) {
      response.getCookies().forEach(cookie -> headers.add("Set-Cookie", cookie));
    }
    final byte[] body;
    if (response.getBody() == null) {
      body = new byte[0];
    } else if (response.getIsBase64Encoded()) {
      body = Base64.getDecoder().decode(response.getBody());
    } else {
      body = response.getBody().getBytes(StandardCharsets.UTF_8);
    }
    if (body.length > 0 && !headers.containsKey("Content-Type")) {
      headers.set("Content-Type", "application/json");
    }
    return write(exchange, response.getStatusCode(), body);
  }

  private static int sendJson(final HttpExchange exchange, final int status, final String json) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    return write(exchange, status, json.getBytes(StandardCharsets.UTF_8));
  }

  private static int write(final HttpExchange exchange, final int status, final byte[] body) throws IOException {
    final boolean noBody = body.length == 0 || status == 204 || status == 304 || exchange.getRequestMethod().equals("HEAD");
    exchange.sendResponseHeaders(status, noBody ? -1 : body.length);
    if (!noBody) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
    return status;
  }

  List<String> routeKeys() {
    final List<String> keys = new ArrayList<>();
    routes.routes().forEach(r -> keys.add(r.routeKey()));
    return keys;
  }
}
