package dev.mandate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole class of bad input, not a sample: every route of template.yaml with nulls, wrong types,
 * huge and odd ids, odd query parameters, and every transaction field of {@code eth_signTransaction} /
 * {@code eth_sendTransaction} with values of the wrong shape. None may answer 5xx, every refusal is
 * {@code {error, code}}, and none may claim a seal failed ({@code integrity_check_failed} is for real
 * tampering only, and raises an operator alarm).
 */
class BadInputSweepTest {
  private static final String CAIP2 = "eip155:31337";
  private static final String LONG = "a".repeat(3000);
  private static final List<String> ODD_IDS = List.of("x".repeat(600), "%00", "..%2F..%2Fwallets", "%C3%BC%F0%9F%92%A5",
      "a.b.c", "did:privy:" + "z".repeat(200), "%20");
  private static final List<String> FIELDS = List.of("chain_type", "owner", "owner_id", "policy_ids", "additional_signers",
      "display_name", "external_id", "method", "params", "caip2", "chain_id", "public_keys", "user_ids", "key_quorum_ids",
      "authorization_threshold", "name", "rules", "version", "conditions", "action", "value", "metric", "window", "group_by",
      "wallet_id", "request", "schedule", "end_at", "max_runs", "linked_accounts", "user_jwt", "recipient_public_key",
      "encryption_type", "jwks_url", "pem_public_keys", "issuer", "audience", "allowed_algorithms", "clock_skew_seconds",
      "custom_metadata", "reference_id", "sponsor", "values");
  private static final List<String> BAD_VALUES = List.of("null", "-1", "1.5", "{}", "[null]", "\"\"",
      "\"" + LONG + "\"", "[\"" + LONG + "\"]");
  private static final List<String> TX_FIELDS = List.of("to", "value", "data", "nonce", "gas_limit", "gas_price",
      "max_fee_per_gas", "max_priority_fee_per_gas", "chain_id", "type", "from", "access_list", "authorization_list",
      "chainId", "gasLimit", "maxFeePerGas", "gas");
  private static final List<String> TX_VALUES = List.of("null", "\"0x\"", "\"\"", "-1", "1.5", "{}", "[]", "\"0xZZ\"",
      "\"" + LONG + "\"", "true", "\"1" + "0".repeat(90) + "\"", "1e400", "\"0x" + "f".repeat(80) + "\"", "[null]", "\" 1\"");

  private static MandateHttp api;
  private static final Map<String, String> IDS = new java.util.HashMap<>();

  @BeforeAll
  static void resources() {
    api = Stack.get().client();
    IDS.put("wallet_id", id(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\"}")));
    IDS.put("key_quorum_id", id(api.post("/v1/key_quorums", "{\"public_keys\":[\"" + AuthKey.generate().publicKey() + "\"]}")));
    IDS.put("policy_id", id(api.post("/v1/policies", "{\"version\":\"1.0\",\"name\":\"sweep\",\"chain_type\":\"ethereum\",\"rules\":["
        + "{\"name\":\"r\",\"method\":\"personal_sign\",\"action\":\"ALLOW\",\"conditions\":[]}]}")));
    IDS.put("condition_set_id", id(api.post("/v1/condition_sets", "{\"name\":\"sweep\"}")));
    IDS.put("aggregation_id", id(api.post("/v1/aggregations", "{\"name\":\"sweep\",\"method\":\"eth_signTransaction\","
        + "\"metric\":{\"field_source\":\"ethereum_transaction\",\"field\":\"value\",\"function\":\"sum\"},"
        + "\"window\":{\"type\":\"rolling\",\"seconds\":86400}}")));
  }

  @Test
  void everyRouteAnswersNullsWrongTypesAndOddIdsWithAClear4xx() {
    final Set<String> problems = new LinkedHashSet<>();
    for (final String[] route : routes()) {
      final String method = route[0];
      final List<String> paths = paths(route[1], !method.equals("DELETE"));
      for (final String path : paths) {
        if (method.equals("GET") || method.equals("DELETE")) {
          check(problems, method, path, null);
          continue;
        }
        check(problems, method, path, "{}");
        if (!path.equals(paths.get(0))) {
          continue; // odd ids: the path is what is under test
        }
        for (final String body : List.of("null", "[]", "1", "\"x\"", "{\"a\":", "[null]")) {
          check(problems, method, path, body);
        }
        for (final String field : FIELDS) {
          for (final String value : BAD_VALUES) {
            check(problems, method, path, "{\"" + field + "\":" + value + "}");
          }
        }
      }
    }
    assertThat(problems).as(String.join("\n", problems)).isEmpty();
  }

  @Test
  void listAndLookupQueriesWithOddParametersAreClear4xx() {
    final Set<String> problems = new LinkedHashSet<>();
    for (final String base : List.of("/v1/wallets", "/v1/recurring_actions")) {
      for (final String query : List.of("limit=-1", "limit=99999999999999999999", "limit=1.5", "limit=", "cursor=" + LONG,
          "cursor=", "user_id=" + LONG, "user_id=", "chain_type=" + LONG, "chain_type=solana", "wallet_id=" + LONG,
          "limit=1&limit=2", "%25ZZ=1", "cursor=%00", "user_id=%00")) {
        check(problems, "GET", base + "?" + query, null);
      }
    }
    assertThat(problems).as(String.join("\n", problems)).isEmpty();
  }

  @Test
  void everyTransactionFieldOfTheWrongShapeIsAClear4xx() {
    final Set<String> problems = new LinkedHashSet<>();
    final String rpc = "/v1/wallets/" + IDS.get("wallet_id") + "/rpc";
    for (final String method : List.of("eth_signTransaction", "eth_sendTransaction")) {
      for (final String field : TX_FIELDS) {
        for (final String value : TX_VALUES) {
          final String tx = "{\"to\":\"0x1111111111111111111111111111111111111111\",\"value\":\"0x0\",\"chain_id\":31337,"
              .replace("\"" + field + "\":", "\"ignored_" + field + "\":")
              + "\"" + field + "\":" + value + "}";
          final String body = "{\"method\":\"" + method + "\",\"caip2\":\"" + CAIP2 + "\",\"params\":{\"transaction\":"
              + tx.replace("\"ignored_to\":\"0x1111111111111111111111111111111111111111\",", "")
                  .replace("\"ignored_value\":\"0x0\",", "").replace("\"ignored_chain_id\":31337,", "") + "}}";
          check(problems, "POST", rpc, body);
        }
      }
      for (final String caip2 : List.of("null", "5", "\"\"", "\"eip155:\"", "\"eip155:abc\"", "\"eip155:1\"",
          "\"eip155:99999999999999999999999\"", "\"eip155:-1\"", "\"" + LONG + "\"", "\"solana:1\"")) {
        check(problems, "POST", rpc, "{\"method\":\"" + method + "\",\"caip2\":" + caip2 + ",\"params\":{\"transaction\":"
            + "{\"to\":\"0x1111111111111111111111111111111111111111\",\"value\":\"0x0\",\"chain_id\":31337}}}");
      }
      for (final String params : List.of("null", "[]", "{\"transaction\":null}", "{\"transaction\":[]}", "{\"transaction\":\"0x\"}")) {
        check(problems, "POST", rpc, "{\"method\":\"" + method + "\",\"caip2\":\"" + CAIP2 + "\",\"params\":" + params + "}");
      }
    }
    assertThat(problems).as(String.join("\n", problems)).isEmpty();
  }

  private static void check(final Set<String> problems, final String method, final String path, final String body) {
    final MandateHttp.Response r;
    try {
      r = api.send(method, path, body, Map.of());
    } catch (RuntimeException e) {
      problems.add(method + " " + abbreviate(path) + " " + abbreviate(body) + " -> " + e);
      return;
    }
    final boolean clear = r.status() < 400 || (r.json().path("error").isTextual() && r.json().path("code").isTextual());
    if (r.status() >= 500 || r.status() < 200 || !clear || "integrity_check_failed".equals(r.code())) {
      problems.add(method + " " + abbreviate(path) + " " + abbreviate(body) + " -> " + r.status() + " " + abbreviate(r.raw()));
    }
  }

  private static List<String[]> routes() {
    final List<String[]> routes = new ArrayList<>();
    for (final String line : List.of(
        "DELETE /v1/aggregations/{aggregation_id}", "DELETE /v1/condition_sets/{condition_set_id}",
        "DELETE /v1/condition_sets/{condition_set_id}/condition_set_items/{item_id}", "DELETE /v1/key_quorums/{key_quorum_id}",
        "DELETE /v1/policies/{policy_id}", "DELETE /v1/policies/{policy_id}/rules/{rule_id}",
        "DELETE /v1/recurring_actions/{action_id}", "GET /v1/aggregations/{aggregation_id}",
        "GET /v1/condition_sets/{condition_set_id}", "GET /v1/condition_sets/{condition_set_id}/condition_set_items",
        "GET /v1/key_quorums/{key_quorum_id}", "GET /v1/policies/{policy_id}", "GET /v1/policies/{policy_id}/rules/{rule_id}",
        "GET /v1/recurring_actions/{action_id}", "GET /v1/recurring_actions/{action_id}/runs",
        "GET /v1/transactions/{transaction_id}", "GET /v1/users/{user_id}", "GET /v1/wallets/{wallet_id}",
        "PATCH /v1/condition_sets/{condition_set_id}", "PATCH /v1/key_quorums/{key_quorum_id}", "PATCH /v1/policies/{policy_id}",
        "PATCH /v1/policies/{policy_id}/rules/{rule_id}", "PATCH /v1/wallets/{wallet_id}", "POST /v1/aggregations",
        "POST /v1/condition_sets", "POST /v1/condition_sets/{condition_set_id}/condition_set_items", "POST /v1/key_quorums",
        "POST /v1/policies", "POST /v1/policies/{policy_id}/rules", "POST /v1/recurring_actions",
        "POST /v1/recurring_actions/{action_id}/pause", "POST /v1/recurring_actions/{action_id}/resume",
        "POST /v1/signer/authenticate", "POST /v1/user_signers/authenticate", "POST /v1/users", "POST /v1/wallets",
        "POST /v1/wallets/authenticate", "POST /v1/wallets/{wallet_id}/raw_sign", "POST /v1/wallets/{wallet_id}/rpc",
        "POST /v1/wallets/{wallet_id}/rpc/dry_run", "PUT /v1/condition_sets/{condition_set_id}/condition_set_items",
        "PUT /v1/jwt_settings")) {
      routes.add(line.split(" ", 2));
    }
    return routes;
  }

  /** The route with real ids (when {@code real}) and with each odd id in every parameter. */
  private static List<String> paths(final String template, final boolean real) {
    final List<String> paths = new ArrayList<>();
    if (!template.contains("{")) {
      paths.add(template);
      return paths;
    }
    if (real) {
      String path = template;
      for (final Map.Entry<String, String> id : IDS.entrySet()) {
        path = path.replace("{" + id.getKey() + "}", id.getValue());
      }
      paths.add(path.replaceAll("\\{[a-z_]+}", "nosuchid000000000000000"));
    }
    for (final String odd : ODD_IDS) {
      paths.add(template.replaceAll("\\{[a-z_]+}", odd));
    }
    return paths;
  }

  private static String abbreviate(final String text) {
    return text == null ? "" : text.length() > 400 ? text.substring(0, 400) + "…" : text.replace(LONG, "<LONG>");
  }

  private static String id(final MandateHttp.Response response) {
    assertThat(response.status()).as(response.toString()).isEqualTo(200);
    return response.json().path("id").asText();
  }
}
