package dev.mandate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import dev.mandate.testkit.AwsTestClients;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The JWKS time-of-check/time-of-use attack, as a table writer with no app secret runs it: swap the
 * JWKS URL in the app's JWT settings for one they serve, and when the host fetches their key set,
 * put the genuine (sealed) settings back before answering. The host must verify with keys from the
 * settings record it hands the enclave, and the enclave only with keys from the sealed URL.
 */
class JwksSwapTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TABLE = "mandate";

  private static MandateHttp api;
  private static DynamoDbClient dynamo;
  private static JwtIssuer genuine;

  @BeforeAll
  static void setUp() {
    api = Stack.get().client();
    dynamo = AwsTestClients.dynamoDb(URI.create(System.getProperty("aws.endpointUrl")));
    genuine = JwtIssuer.start();
  }

  @AfterAll
  static void close() {
    genuine.close();
    dynamo.close();
  }

  @Test
  void aJwksUrlSwappedDuringTheFetchAndRestoredAfterwardsLogsNobodyIn() throws Exception {
    assertThat(api.send("PUT", "/v1/jwt_settings", genuine.settingsJson(), Map.of()).status()).isEqualTo(200);
    final String victimSub = "victim-" + UUID.randomUUID();
    final MandateHttp.Response first = bearer(genuine.token(victimSub));
    assertThat(first.status()).as(first.toString()).isEqualTo(200);
    final String walletId = first.json().path("wallet_id").asText();

    final Map<String, AttributeValue> sealed = settingsItem();
    final ECKey attackerKey = new ECKeyGenerator(Curve.P_256).keyID("attacker").generate();
    final byte[] attackerJwks = new JWKSet(attackerKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
    final AtomicInteger fetches = new AtomicInteger();
    final HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/jwks.json", exchange -> {
      fetches.incrementAndGet();
      // The host has read the swapped settings and is fetching: put the genuine record back first.
      dynamo.putItem(b -> b.tableName(TABLE).item(sealed));
      exchange.getResponseHeaders().add("content-type", "application/json");
      exchange.sendResponseHeaders(200, attackerJwks.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(attackerJwks);
      }
    });
    server.start();
    try {
      final Map<String, AttributeValue> swapped = new HashMap<>(sealed);
      final ObjectNode doc = (ObjectNode) JSON.readTree(sealed.get("doc").s());
      doc.put("jwks_url", "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks.json");
      swapped.put("doc", AttributeValue.fromS(doc.toString()));
      dynamo.putItem(b -> b.tableName(TABLE).item(swapped));

      final SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("attacker").build(),
          JwtIssuer.claims(victimSub).build());
      forged.sign(new ECDSASigner(attackerKey));
      final MandateHttp.Response attack = bearer(forged.serialize());

      assertThat(attack.status()).as("the forged login: %s", attack).isNotEqualTo(200).isIn(401, 500);
      assertThat(attack.code()).isIn("invalid_user_jwt", "integrity_check_failed");
      assertThat(attack.raw()).doesNotContain("authenticated_signer");
    } finally {
      server.stop(0);
      dynamo.putItem(b -> b.tableName(TABLE).item(sealed));
    }
    // The genuine settings are in place and still work for the genuine issuer's tokens.
    assertThat(settingsItem()).isEqualTo(sealed);
    final MandateHttp.Response again = bearer(genuine.token(victimSub));
    assertThat(again.status()).as(again.toString()).isEqualTo(200);
    assertThat(again.json().path("wallet_id").asText()).isEqualTo(walletId);
  }

  private static MandateHttp.Response bearer(final String jwt) {
    return api.raw("POST", "/v1/signer/authenticate", null, Map.of("privy-app-id", api.appId(), "authorization", "Bearer " + jwt));
  }

  private static Map<String, AttributeValue> settingsItem() {
    return dynamo.getItem(b -> b.tableName(TABLE).consistentRead(true).key(Map.of(
        "pk", AttributeValue.fromS("app#" + Stack.APP_ID), "sk", AttributeValue.fromS("jwt_settings#default")))).item();
  }
}
