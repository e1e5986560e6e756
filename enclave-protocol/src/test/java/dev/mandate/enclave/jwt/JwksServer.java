package dev.mandate.enclave.jwt;

import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/** A JWKS endpoint on loopback that serves whatever key set the test currently wants, and counts. */
final class JwksServer implements AutoCloseable {
  private final HttpServer server;
  private final AtomicInteger hits = new AtomicInteger();
  private volatile int status = 200;
  private volatile String body = "{\"keys\":[]}";

  private JwksServer(final HttpServer server) {
    this.server = server;
  }

  static JwksServer serving(final JWKSet keys) {
    try {
      final HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
      final JwksServer jwks = new JwksServer(http);
      http.createContext("/jwks.json", exchange -> {
        jwks.hits.incrementAndGet();
        final byte[] bytes = jwks.body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(jwks.status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      });
      http.start();
      jwks.serve(keys);
      return jwks;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Serves the public half of {@code keys} from now on. */
  void serve(final JWKSet keys) {
    serveRaw(200, keys.toPublicJWKSet().toString());
  }

  void serveRaw(final int statusCode, final String text) {
    this.status = statusCode;
    this.body = text;
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
  }

  int hits() {
    return hits.get();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
