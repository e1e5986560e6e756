package dev.mandate.e2e;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A JSON-RPC pass-through on loopback in front of the Hardhat node, which can lose answers: told to,
 * it forwards the next {@code eth_sendRawTransaction} to the node (so the transaction arrives) and
 * then closes the connection without answering, as a timed-out load balancer would.
 */
final class LossyRpcProxy implements AutoCloseable {
  private final HttpServer server;
  private final URI upstream;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final AtomicInteger answersToDrop = new AtomicInteger();
  private final AtomicInteger rawSends = new AtomicInteger();

  private LossyRpcProxy(final URI upstream) throws IOException {
    this.upstream = upstream;
    this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.start();
  }

  static LossyRpcProxy inFrontOf(final URI upstream) {
    try {
      return new LossyRpcProxy(upstream);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  /** The next eth_sendRawTransaction reaches the node, but its answer is lost. */
  void loseTheNextBroadcastAnswer() {
    answersToDrop.incrementAndGet();
  }

  /** How many eth_sendRawTransaction calls passed through. */
  int broadcasts() {
    return rawSends.get();
  }

  private void handle(final HttpExchange exchange) throws IOException {
    try (exchange) {
      final String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
      final HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(upstream)
          .header("content-type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
      final boolean broadcast = body.contains("eth_sendRawTransaction");
      if (broadcast) {
        rawSends.incrementAndGet();
      }
      if (broadcast && answersToDrop.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
        return; // closed without a status line: the caller cannot know whether it arrived
      }
      exchange.getResponseHeaders().add("content-type", "application/json");
      exchange.sendResponseHeaders(answer.statusCode(), answer.body().length);
      exchange.getResponseBody().write(answer.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
