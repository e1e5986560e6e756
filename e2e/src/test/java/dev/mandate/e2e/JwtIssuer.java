package dev.mandate.e2e;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test stand-in for an app's auth provider: a JWKS endpoint on 127.0.0.1 (ephemeral port)
 * publishing an RS256 and an ES256 key, and a JWT signer for them (nimbus-jose-jwt), plus the
 * malformed tokens an attacker would try.
 */
final class JwtIssuer implements AutoCloseable {
  static final String ISSUER = "https://auth.mandate-e2e.example";
  static final String AUDIENCE = "mandate-e2e";

  private final HttpServer server;
  private final RSAKey rsa;
  private final ECKey ec;
  private final AtomicInteger fetches = new AtomicInteger();

  private JwtIssuer(final HttpServer server, final RSAKey rsa, final ECKey ec) {
    this.server = server;
    this.rsa = rsa;
    this.ec = ec;
  }

  static JwtIssuer start() {
    try {
      final RSAKey rsa = newRsa("rs-" + UUID.randomUUID());
      final ECKey ec = new ECKeyGenerator(Curve.P_256).keyID("es-" + UUID.randomUUID()).generate();
      final HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      final JwtIssuer issuer = new JwtIssuer(server, rsa, ec);
      final byte[] jwks = issuer.jwksJson().getBytes(StandardCharsets.UTF_8);
      server.createContext("/jwks.json", exchange -> {
        issuer.fetches.incrementAndGet();
        exchange.getResponseHeaders().add("content-type", "application/json");
        exchange.sendResponseHeaders(200, jwks.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(jwks);
        }
      });
      server.start();
      return issuer;
    } catch (IOException | JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static RSAKey newRsa(final String kid) {
    try {
      return new RSAKeyGenerator(2048).keyID(kid).generate();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  String jwksUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json";
  }

  /** The published key set: public halves only. */
  String jwksJson() {
    return new JWKSet(List.<JWK>of(rsa, ec)).toString(true);
  }

  int fetches() {
    return fetches.get();
  }

  RSAKey rsa() {
    return rsa;
  }

  /** The body of {@code PUT /v1/jwt_settings} for this issuer. */
  String settingsJson() {
    return MandateHttp.json(java.util.Map.of("jwks_url", jwksUrl(), "issuer", ISSUER, "audience", AUDIENCE));
  }

  /** Claims valid now for ten minutes. */
  static JWTClaimsSet.Builder claims(final String sub) {
    final Instant now = Instant.now();
    return new JWTClaimsSet.Builder()
        .subject(sub)
        .issuer(ISSUER)
        .audience(AUDIENCE)
        .issueTime(Date.from(now))
        .notBeforeTime(Date.from(now.minusSeconds(5)))
        .expirationTime(Date.from(now.plusSeconds(600)));
  }

  /** A valid RS256 token for {@code sub}. */
  String token(final String sub) {
    return rs256(claims(sub).build());
  }

  String rs256(final JWTClaimsSet claims) {
    return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(rsa.getKeyID()).build(), claims, rsaSigner(rsa));
  }

  String es256(final JWTClaimsSet claims) {
    try {
      return sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(ec.getKeyID()).build(), claims, new ECDSASigner(ec));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  /** RS256 with a key the JWKS does not publish, under the given kid. */
  static String rs256With(final RSAKey key, final String kid, final JWTClaimsSet claims) {
    return sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).build(), claims, rsaSigner(key));
  }

  /** HS256 keyed with the JWKS text, naming the RSA key's kid: the algorithm-confusion forgery. */
  String hs256(final JWTClaimsSet claims) {
    try {
      final byte[] secret = jwksJson().getBytes(StandardCharsets.UTF_8);
      return sign(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(rsa.getKeyID()).build(), claims, new MACSigner(secret));
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  static String none(final JWTClaimsSet claims) {
    return new PlainJWT(claims).serialize();
  }

  /** The token with its payload replaced (header and signature kept). */
  static String tamper(final String jwt, final JWTClaimsSet claims) {
    final String[] parts = jwt.split("\\.");
    final String payload = Base64.getUrlEncoder().withoutPadding()
        .encodeToString(claims.toString().getBytes(StandardCharsets.UTF_8));
    return parts[0] + "." + payload + "." + parts[2];
  }

  private static JWSSigner rsaSigner(final RSAKey key) {
    try {
      return new RSASSASigner(key);
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String sign(final JWSHeader header, final JWTClaimsSet claims, final JWSSigner signer) {
    try {
      final SignedJWT jwt = new SignedJWT(header, claims);
      jwt.sign(signer);
      return jwt.serialize();
    } catch (JOSEException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
