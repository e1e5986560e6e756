package dev.mandate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad input gets a 4xx with {@code {"error","code"}} — never a 500 — and writes nothing.
 */
class BadInputTest {
  private static MandateHttp api;
  private static String walletId;

  @BeforeAll
  static void createWallet() {
    api = Stack.get().client();
    final MandateHttp.Response created = api.post("/v1/wallets", "{\"chain_type\":\"ethereum\"}");
    assertThat(created.status()).as(created.toString()).isEqualTo(200);
    walletId = created.json().path("id").asText();
  }

  static Stream<Arguments> badRequests() {
    final String rpc = "/v1/wallets/{w}/rpc";
    return Stream.of(
        Arguments.of("malformed JSON", "POST", "/v1/wallets", "{\"chain_type\":", 400),
        Arguments.of("body is an array", "POST", "/v1/wallets", "[1,2]", 400),
        Arguments.of("chain_type wrong type", "POST", "/v1/wallets", "{\"chain_type\":5}", 400),
        Arguments.of("chain_type unsupported", "POST", "/v1/wallets", "{\"chain_type\":\"dogecoin\"}", 400),
        Arguments.of("unknown create field", "POST", "/v1/wallets", "{\"chain_type\":\"ethereum\",\"colour\":\"red\"}", 400),
        Arguments.of("external_id bad chars", "POST", "/v1/wallets", "{\"chain_type\":\"ethereum\",\"external_id\":\"a b\"}", 400),
        Arguments.of("display_name too long", "POST", "/v1/wallets",
            "{\"chain_type\":\"ethereum\",\"display_name\":\"" + "x".repeat(101) + "\"}", 400),
        Arguments.of("owner_id unknown", "POST", "/v1/wallets", "{\"chain_type\":\"ethereum\",\"owner_id\":\"nosuchquorum\"}", 400),
        Arguments.of("owner key garbage", "POST", "/v1/wallets",
            "{\"chain_type\":\"ethereum\",\"owner\":{\"public_key\":\"bm90IGEga2V5\"}}", 400),
        Arguments.of("oversized body", "POST", "/v1/wallets",
            "{\"chain_type\":\"ethereum\",\"display_name\":\"" + "x".repeat(2 << 20) + "\"}", 413),
        Arguments.of("unknown method", "POST", rpc, "{\"method\":\"eth_mine\",\"params\":{}}", 400),
        Arguments.of("method missing", "POST", rpc, "{\"params\":{}}", 400),
        Arguments.of("odd hex message", "POST", rpc,
            "{\"method\":\"personal_sign\",\"params\":{\"message\":\"0xabc\",\"encoding\":\"hex\"}}", 400),
        Arguments.of("message wrong type", "POST", rpc,
            "{\"method\":\"personal_sign\",\"params\":{\"message\":5,\"encoding\":\"utf-8\"}}", 400),
        Arguments.of("hash not 32 bytes", "POST", rpc, "{\"method\":\"secp256k1_sign\",\"params\":{\"hash\":\"0x1234\"}}", 400),
        Arguments.of("unknown tx field", "POST", rpc,
            "{\"method\":\"eth_signTransaction\",\"params\":{\"transaction\":{\"chain_id\":1,\"nonce\":0,\"gas_limit\":21000,"
                + "\"gas_price\":1,\"gas\":5}}}", 400),
        Arguments.of("negative value", "POST", rpc,
            "{\"method\":\"eth_signTransaction\",\"params\":{\"transaction\":{\"chain_id\":1,\"nonce\":0,\"gas_limit\":21000,"
                + "\"gas_price\":1,\"value\":-1}}}", 400),
        Arguments.of("value over 256 bits", "POST", rpc,
            "{\"method\":\"eth_signTransaction\",\"params\":{\"transaction\":{\"chain_id\":1,\"nonce\":0,\"gas_limit\":21000,"
                + "\"gas_price\":1,\"value\":\"0x1" + "0".repeat(64) + "\"}}}", 400),
        Arguments.of("typed data without types", "POST", rpc,
            "{\"method\":\"eth_signTypedData_v4\",\"params\":{\"typed_data\":{\"domain\":{},\"message\":{},\"primary_type\":\"X\"}}}", 400),
        Arguments.of("raw_sign hash and bytes", "POST", "/v1/wallets/{w}/raw_sign",
            "{\"params\":{\"hash\":\"0x" + "11".repeat(32) + "\",\"bytes\":\"aa\",\"encoding\":\"hex\",\"hash_function\":\"sha256\"}}", 400),
        Arguments.of("raw_sign unknown hash function", "POST", "/v1/wallets/{w}/raw_sign",
            "{\"params\":{\"bytes\":\"aa\",\"encoding\":\"hex\",\"hash_function\":\"md5\"}}", 400),
        Arguments.of("unknown wallet rpc", "POST", "/v1/wallets/nosuchwallet000000000000/rpc",
            "{\"method\":\"personal_sign\",\"params\":{\"message\":\"hi\",\"encoding\":\"utf-8\"}}", 404),
        Arguments.of("unknown wallet get", "GET", "/v1/wallets/nosuchwallet000000000000", null, 404),
        Arguments.of("unknown external id", "GET", "/v1/wallets/ext_wal_nobody", null, 404),
        Arguments.of("limit zero", "GET", "/v1/wallets?limit=0", null, 400),
        Arguments.of("limit not a number", "GET", "/v1/wallets?limit=abc", null, 400),
        Arguments.of("garbage cursor", "GET", "/v1/wallets?cursor=%21%21%21", null, 400),
        Arguments.of("empty patch", "PATCH", "/v1/wallets/{w}", "{}", 400),
        Arguments.of("patch unknown field", "PATCH", "/v1/wallets/{w}", "{\"address\":\"0x00\"}", 400),
        Arguments.of("quorum without members", "POST", "/v1/key_quorums", "{\"display_name\":\"empty\"}", 400),
        Arguments.of("quorum threshold too high", "POST", "/v1/key_quorums",
            "{\"public_keys\":[\"" + AuthKey.generate().publicKey() + "\"],\"authorization_threshold\":2}", 400),
        Arguments.of("send chain_id not caip2's", "POST", rpc, send("\"chain_id\":1"), 400),
        Arguments.of("send camelCase chainId not caip2's", "POST", rpc, send("\"chainId\":\"0x1\""), 400),
        Arguments.of("send chain_id null and nonce 0xZZ", "POST", rpc, send("\"chain_id\":null,\"nonce\":\"0xZZ\""), 400),
        Arguments.of("send value of the wrong type", "POST", rpc, send("\"value\":{}"), 400),
        Arguments.of("send gas_limit a fraction", "POST", rpc, send("\"gas_limit\":1.5"), 400),
        Arguments.of("send both spellings", "POST", rpc, send("\"chain_id\":31337,\"chainId\":31337"), 400),
        Arguments.of("send caip2 a number", "POST", rpc,
            "{\"method\":\"eth_sendTransaction\",\"caip2\":31337,\"params\":{\"transaction\":{}}}", 400),
        Arguments.of("very long wallet id", "GET", "/v1/wallets/" + "w".repeat(5000), null, 400),
        Arguments.of("very long policy id", "GET", "/v1/policies/" + "p".repeat(600), null, 400),
        Arguments.of("very long quorum id in a patch", "PATCH", "/v1/key_quorums/" + "q".repeat(600), "{}", 400),
        Arguments.of("very long user_id filter", "GET", "/v1/wallets?user_id=" + "u".repeat(3000), null, 400),
        Arguments.of("unknown route", "GET", "/v1/nothing", null, 404),
        Arguments.of("wrong method", "PUT", "/v1/wallets", "{}", 405));
  }

  private static String send(final String fields) {
    return "{\"method\":\"eth_sendTransaction\",\"caip2\":\"eip155:31337\",\"params\":{\"transaction\":{"
        + "\"to\":\"0x1111111111111111111111111111111111111111\"," + fields + "}}}";
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badRequests")
  void badInputGetsA4xxWithErrorAndCodeAndWritesNothing(final String name, final String method, final String path,
      final String body, final int status) {
    final int walletsBefore = walletCount();
    final MandateHttp.Response response = api.send(method, path.replace("{w}", walletId), body, Map.of());
    assertThat(response.status()).as(response.toString()).isEqualTo(status);
    assertThat(response.json().path("error").asText()).as(response.toString()).isNotBlank();
    assertThat(response.json().path("code").asText()).as(response.toString()).isNotBlank()
        .isNotEqualTo("integrity_check_failed");
    assertThat(walletCount()).isEqualTo(walletsBefore);
  }

  @Test
  void wrongOrMissingAppCredentialsGetPrivysMessage() {
    final MandateHttp wrongSecret = api.withCredentials(Stack.APP_ID, "privy_app_secret_wrong");
    final MandateHttp unknownApp = api.withCredentials("noapp0000000000000000000", Stack.APP_SECRET);
    for (final MandateHttp.Response response : new MandateHttp.Response[] {
        wrongSecret.post("/v1/wallets", "{\"chain_type\":\"ethereum\"}"),
        unknownApp.get("/v1/wallets"),
        api.raw("GET", "/v1/wallets", null, Map.of("privy-app-id", Stack.APP_ID)),
        api.raw("GET", "/v1/wallets", null, Map.of("authorization", "Basic Zm9vOmJhcg==")),
        api.send("GET", "/v1/wallets", null, Map.of("privy-app-id", "someotherapp000000000000")),
    }) {
      assertThat(response.status()).as(response.toString()).isEqualTo(401);
      assertThat(response.error()).isEqualTo("Invalid app ID or app secret.");
    }
  }

  @Test
  void idempotentCreateReturnsTheSameWalletAndRefusesAnotherBody() {
    final Map<String, String> key = Map.of("privy-idempotency-key", "create-" + System.nanoTime());
    final MandateHttp.Response first = api.send("POST", "/v1/wallets", "{\"chain_type\":\"ethereum\"}", key);
    final MandateHttp.Response again = api.send("POST", "/v1/wallets", "{\"chain_type\":\"ethereum\"}", key);
    final MandateHttp.Response other = api.send("POST", "/v1/wallets",
        "{\"chain_type\":\"ethereum\",\"display_name\":\"other\"}", key);
    assertThat(first.status()).isEqualTo(200);
    assertThat(again.json().path("id").asText()).isEqualTo(first.json().path("id").asText());
    assertThat(other.status()).isEqualTo(400);
    assertThat(other.error()).isEqualTo(
        "Idempotency key was reused for a request with a new body. Please create a new idempotency key for the request.");
  }

  @Test
  void externalIdIsUniqueAndAddressesTheWallet() {
    final String ext = "order-" + System.nanoTime();
    final MandateHttp.Response created = api.post("/v1/wallets",
        "{\"chain_type\":\"ethereum\",\"external_id\":\"" + ext + "\",\"display_name\":\"Treasury\"}");
    assertThat(created.status()).isEqualTo(200);
    assertThat(api.get("/v1/wallets/ext_wal_" + ext).json().path("id").asText()).isEqualTo(created.json().path("id").asText());
    final MandateHttp.Response duplicate = api.post("/v1/wallets",
        "{\"chain_type\":\"ethereum\",\"external_id\":\"" + ext + "\"}");
    assertThat(duplicate.status()).isEqualTo(409);
    final MandateHttp.Response signed = api.post("/v1/wallets/ext_wal_" + ext + "/rpc",
        "{\"method\":\"personal_sign\",\"params\":{\"message\":\"hi\",\"encoding\":\"utf-8\"}}");
    assertThat(signed.status()).as(signed.toString()).isEqualTo(200);
  }

  @Test
  void listPagesThroughEveryWalletOnce() {
    // Its own app: other suites tamper with the dev app's table rows on purpose.
    dev.mandate.Mandate.instance().apps().ensureApp("listapp000000000000000001", "privy_app_secret_list_app");
    final MandateHttp lister = api.withCredentials("listapp000000000000000001", "privy_app_secret_list_app");
    final java.util.Set<String> created = new java.util.HashSet<>();
    for (int i = 0; i < 5; i++) {
      created.add(lister.post("/v1/wallets", "{\"chain_type\":\"ethereum\"}").json().path("id").asText());
    }
    final java.util.List<String> seen = new java.util.ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      final MandateHttp.Response page = lister.get("/v1/wallets?limit=2&chain_type=ethereum" + (cursor == null ? "" : "&cursor=" + cursor));
      assertThat(page.status()).as(page.toString()).isEqualTo(200);
      page.json().path("data").forEach(w -> seen.add(w.path("id").asText()));
      cursor = page.json().path("next_cursor").isNull() ? null : page.json().path("next_cursor").asText();
      pages++;
    } while (cursor != null && pages < 100);
    assertThat(seen).containsExactlyInAnyOrderElementsOf(created);
    assertThat(pages).isEqualTo(3);
    assertThat(api.get("/v1/wallets").json().path("data").findValuesAsText("id")).doesNotContainAnyElementsOf(created);
  }

  @Test
  void listFiltersByUserAndRefusesFiltersItDoesNotSupport() {
    final String user = api.post("/v1/users", "{\"linked_accounts\":[{\"type\":\"email\",\"address\":\"list-"
        + System.nanoTime() + "@example.com\"}]}").json().path("id").asText();
    final String owned = api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"owner\":{\"user_id\":\"" + user + "\"}}")
        .json().path("id").asText();
    final MandateHttp.Response mine = api.get("/v1/wallets?user_id=" + user);
    assertThat(mine.status()).as(mine.toString()).isEqualTo(200);
    assertThat(mine.json().path("data").findValuesAsText("id")).containsExactly(owned);
    final MandateHttp.Response unsupported = api.get("/v1/wallets?address=0x0000000000000000000000000000000000000001");
    assertThat(unsupported.status()).isEqualTo(400);
    assertThat(unsupported.error()).contains("address");
  }

  private static int walletCount() {
    int count = 0;
    String cursor = null;
    do {
      final MandateHttp.Response page = api.get("/v1/wallets?limit=100" + (cursor == null ? "" : "&cursor=" + cursor));
      count += page.json().path("data").size();
      cursor = page.json().path("next_cursor").isNull() ? null : page.json().path("next_cursor").asText();
    } while (cursor != null);
    return count;
  }
}
