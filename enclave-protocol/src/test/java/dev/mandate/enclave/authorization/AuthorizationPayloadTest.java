package dev.mandate.enclave.authorization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mandate.enclave.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AuthorizationPayloadTest {
  // privy-api.md §2.4, the worked example.
  private static final String RPC_URL = "https://api.privy.io/v1/wallets/fmfdj6yqly31huorjqzq38zc/rpc";
  private static final String RPC_BODY =
      "{\"method\":\"personal_sign\",\"params\":{\"message\":\"Hello from Privy!\",\"encoding\":\"utf-8\"}}";
  private static final Map<String, String> RPC_HEADERS =
      Map.of("privy-app-id", "insert-your-app-id", "privy-request-expiry", "1773679531000");
  private static final String RPC_CANONICAL =
      "{\"body\":{\"method\":\"personal_sign\",\"params\":{\"encoding\":\"utf-8\",\"message\":\"Hello from Privy!\"}},"
          + "\"headers\":{\"privy-app-id\":\"insert-your-app-id\",\"privy-request-expiry\":\"1773679531000\"},"
          + "\"method\":\"POST\",\"url\":\"https://api.privy.io/v1/wallets/fmfdj6yqly31huorjqzq38zc/rpc\",\"version\":1}";
  private static final String RPC_SHA256 = "2c7ba74547230be6f344dbf938c807b5097b976e4db205d408c946bffe173afa";
  private static final String EXAMPLE_KEY =
      "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE23IGIEeH05JzOQIuj38QAvYGeOPLyOYiou8YIOkDX0DPE8GC5bzzpEkOtJYse+5Db+yjxQXSdxm0UmaRNBL3Eg==";
  private static final String EXAMPLE_SIGNATURE =
      "MEUCIGrGmVdLaawgjGuxMeZ1UU/btN+f34FobOKH18OgqpOQAiEAhSnbhzpaCe+mSQ0H3kEUw39rHV4p9SlhWVUOm/lJCxQ=";

  private static final String POLICY_URL = "https://api.privy.io/v1/policies/tb54eps4z44ed0jepousxi4n";
  private static final Map<String, String> APP_ONLY = Map.of("privy-app-id", "insert-your-app-id");
  private static final String DELETE_CANONICAL =
      "{\"body\":\"\",\"headers\":{\"privy-app-id\":\"insert-your-app-id\"},\"method\":\"DELETE\","
          + "\"url\":\"https://api.privy.io/v1/policies/tb54eps4z44ed0jepousxi4n\",\"version\":1}";

  @Test
  void reproducesTheWorkedExampleBytesAndHash() {
    final byte[] bytes = AuthorizationPayload.of("POST", RPC_URL, RPC_BODY, RPC_HEADERS).canonicalBytes();

    assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo(RPC_CANONICAL);
    assertThat(HexFormat.of().formatHex(P256PublicKey.sha256(bytes))).isEqualTo(RPC_SHA256);
  }

  @Test
  void theWorkedExampleSignatureVerifiesWithItsKey() {
    final byte[] bytes = AuthorizationPayload.of("POST", RPC_URL, RPC_BODY, RPC_HEADERS).canonicalBytes();

    assertThat(P256PublicKey.parse(EXAMPLE_KEY).verify(bytes, Base64.getDecoder().decode(EXAMPLE_SIGNATURE))).isTrue();
  }

  @Test
  void theWorkedExampleSignatureDoesNotVerifyForAnotherUrl() {
    final byte[] bytes = AuthorizationPayload.of("POST", RPC_URL + "x", RPC_BODY, RPC_HEADERS).canonicalBytes();

    assertThat(P256PublicKey.parse(EXAMPLE_KEY).verify(bytes, Base64.getDecoder().decode(EXAMPLE_SIGNATURE))).isFalse();
  }

  @Test
  void reproducesTheBodylessDeleteExample() {
    assertThat(text(AuthorizationPayload.of("DELETE", POLICY_URL, null, APP_ONLY).canonicalBytes()))
        .isEqualTo(DELETE_CANONICAL);
  }

  @Test
  void signsAbsentEmptyBlankAndEmptyObjectBodiesAlike() {
    for (final String body : new String[] {null, "", "  \n", "{}", " { } "}) {
      assertThat(text(AuthorizationPayload.of("DELETE", POLICY_URL, body, APP_ONLY).canonicalBytes()))
          .as("body %s", body)
          .isEqualTo(DELETE_CANONICAL);
    }
  }

  @Test
  void offersServerAuthAndGoEncodingsOfAnEmptyBody() {
    final List<String> variants =
        AuthorizationPayload.of("DELETE", POLICY_URL, "{}", APP_ONLY).variants().stream().map(AuthorizationPayloadTest::text).toList();

    assertThat(variants)
        .containsExactly(
            DELETE_CANONICAL.replace("\"body\":\"\"", "\"body\":{}"),
            DELETE_CANONICAL.replace("\"body\":\"\",", ""));
  }

  @Test
  void offersNoVariantsForARealBody() {
    assertThat(AuthorizationPayload.of("POST", RPC_URL, RPC_BODY, RPC_HEADERS).variants()).isEmpty();
  }

  @Test
  void ignoresWhitespaceAndKeyOrderOfTheHttpBody() {
    final String reformatted =
        "{\n  \"params\" : { \"encoding\" : \"utf-8\", \"message\" : \"Hello from Privy!\" },\n  \"method\" : \"personal_sign\"\n}\n";

    assertThat(text(AuthorizationPayload.of("POST", RPC_URL, reformatted, RPC_HEADERS).canonicalBytes()))
        .isEqualTo(RPC_CANONICAL);
  }

  @Test
  void signsOnlyPrivyHeadersFoundInAnyCase() {
    final Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Privy-App-Id", "app");
    headers.put("PRIVY-IDEMPOTENCY-KEY", "k-1");
    headers.put("privy-client", "node:1.0");
    headers.put("Authorization", "Basic secret");
    headers.put("Content-Type", "application/json");

    assertThat(text(AuthorizationPayload.of("post", "https://x.test/v1/a", "{\"a\":1}", headers).canonicalBytes()))
        .isEqualTo("{\"body\":{\"a\":1},\"headers\":{\"privy-app-id\":\"app\",\"privy-idempotency-key\":\"k-1\"},"
            + "\"method\":\"POST\",\"url\":\"https://x.test/v1/a\",\"version\":1}");
  }

  @Test
  void dropsQueryStringAndTrailingSlashFromTheUrl() {
    final String payload = text(AuthorizationPayload.of("DELETE", POLICY_URL + "/?x=1#f", null, APP_ONLY).canonicalBytes());

    assertThat(payload).isEqualTo(DELETE_CANONICAL);
  }

  @Test
  void joinsBaseUrlAndPathLikeTheSdks() {
    assertThat(AuthorizationPayload.url("https://wallets.example.com/", "/v1/wallets/abc/rpc?q=1"))
        .isEqualTo("https://wallets.example.com/v1/wallets/abc/rpc");
    assertThat(AuthorizationPayload.url("https://wallets.example.com/api", "v1/policies/p"))
        .isEqualTo("https://wallets.example.com/api/v1/policies/p");
  }

  @Test
  void refusesMalformedBodies() {
    for (final String body : new String[] {"{", "{\"a\":1} x", "{\"a\":1,\"a\":2}", "not json", "{'a':1}"}) {
      assertThatThrownBy(() -> AuthorizationPayload.of("POST", RPC_URL, body, RPC_HEADERS))
          .as("body %s", body)
          .isInstanceOf(InvalidRequestException.class);
    }
  }

  @Test
  void requiresTheAppIdHeader() {
    assertThatThrownBy(() -> AuthorizationPayload.of("POST", RPC_URL, RPC_BODY, Map.of("privy-request-expiry", "1")))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("privy-app-id");
  }

  @Test
  void refusesTwoSpellingsOfASignedHeader() {
    final Map<String, String> headers = new LinkedHashMap<>();
    headers.put("privy-app-id", "a");
    headers.put("Privy-App-Id", "b");

    assertThatThrownBy(() -> AuthorizationPayload.of("POST", RPC_URL, RPC_BODY, headers))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void returnsCopiesSoCallersCannotAlterThePayload() {
    final AuthorizationPayload payload = AuthorizationPayload.of("DELETE", POLICY_URL, null, APP_ONLY);
    payload.canonicalBytes()[0] = 'X';
    payload.variants().get(0)[0] = 'X';

    assertThat(text(payload.canonicalBytes())).isEqualTo(DELETE_CANONICAL);
    assertThat(text(payload.variants().get(0))).startsWith("{");
  }

  private static String text(final byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
