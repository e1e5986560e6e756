package dev.mandate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

/**
 * Runs after every other suite in this JVM (see junit-platform.properties) and scans what the server
 * printed and every response it sent for key material and secrets: wrapped keys, authorization
 * private keys the tests used, app secrets, JWTs, PEM private keys.
 */
@Order(Integer.MAX_VALUE)
class SecretScanTest {

  @Test
  void noLogLineAndNoResponseHoldsKeyMaterialOrSecrets() {
    // Exercise the paths that touch secrets at least once, even if this class runs alone.
    final MandateHttp api = Stack.get().client();
    final AuthKey owner = AuthKey.generate();
    final String wallet = api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"owner\":{\"public_key\":\""
        + owner.publicKey() + "\"}}").json().path("id").asText();
    api.signed("POST", "/v1/wallets/" + wallet + "/rpc",
        "{\"method\":\"personal_sign\",\"params\":{\"message\":\"scan\",\"encoding\":\"utf-8\"}}", owner);
    api.withCredentials(Stack.APP_ID, "privy_app_secret_wrong_for_scan").get("/v1/wallets");

    final String logs = serverLines(Stack.get().logs());
    final String responses = MandateHttp.responses();
    assertThat(logs).as("server output was captured").contains("backend: DynamoDB Local").contains("POST /v1/wallets -> 200");
    final List<String> forbidden = new ArrayList<>(List.of(
        "wk1:", "wrapped_key", "secret_sha256", Stack.APP_SECRET, "privy_app_secret_wrong_for_scan",
        "BEGIN PRIVATE KEY", "BEGIN EC PRIVATE KEY", "eyJhbGciOi"));
    forbidden.addAll(AuthKey.issuedPrivateKeys());
    for (final String secret : forbidden) {
      assertThat(logs).as("server output").doesNotContain(secret);
      assertThat(responses).as("responses").doesNotContain(secret);
    }
  }

  /** What the server printed: everything but the lines the Node client suites echo through the launcher. */
  private static String serverLines(final String captured) {
    final StringBuilder out = new StringBuilder();
    for (final String line : captured.split("\n")) {
      if (!line.startsWith("[clients]")) {
        out.append(line).append('\n');
      }
    }
    return out.toString();
  }
}
