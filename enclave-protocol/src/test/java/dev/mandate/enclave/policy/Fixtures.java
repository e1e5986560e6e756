package dev.mandate.enclave.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** Requests and policies shared by the policy tests. */
final class Fixtures {
  static final String USDC = "0x833589fCD6eDb6E08f4c7C32D4f71b54bdA02913";
  static final String OTHER = "0x1111111111111111111111111111111111111111";
  static final long NOW = 1_756_699_200L;
  static final EvaluationContext CTX = EvaluationContext.of(Instant.ofEpochSecond(NOW, 999_000_000),
      Map.of("allowlist", List.of(OTHER, USDC.toUpperCase().replace("0X", "0x"))),
      Map.of("spent", BigInteger.valueOf(5000)));

  /** transfer(USDC, 1_000_000) calldata. */
  static final String TRANSFER_DATA = Calldata.call("0xa9059cbb").address(USDC.toLowerCase()).uint(1_000_000).hex();

  static final String SEND_TX = """
      {"method":"eth_sendTransaction","caip2":"eip155:8453","chain_type":"ethereum",
       "params":{"transaction":{"to":"%s","value":"0x2386F26FC10000","chain_id":8453,"data":"%s"}}}"""
      .formatted(USDC, TRANSFER_DATA);

  static final String PERSONAL_SIGN = """
      {"method":"personal_sign","params":{"message":"hello","encoding":"utf-8"}}""";

  static final String AUTHORIZATION = """
      {"method":"eth_sign7702Authorization","params":{"contract":"0x69007702764179f14F51cdce752f4f775d74E139","chain_id":1}}""";

  static final String MAIL_TYPES = """
      {"Person":[{"name":"name","type":"string"},{"name":"wallet","type":"address"}],
       "Mail":[{"name":"from","type":"Person"},{"name":"to","type":"Person"},{"name":"contents","type":"string"},
               {"name":"amount","type":"uint256"},{"name":"cc","type":"Person[]"}]}""";

  static final String TYPED_DATA = """
      {"method":"eth_signTypedData_v4","params":{"typed_data":{
        "domain":{"name":"Ether Mail","version":"1","chainId":1,"verifyingContract":"0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
        "types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},
                   {"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
                 "Person":[{"name":"name","type":"string"},{"name":"wallet","type":"address"}],
                 "Mail":[{"name":"from","type":"Person"},{"name":"to","type":"Person"},{"name":"contents","type":"string"},
                         {"name":"amount","type":"uint256"},{"name":"cc","type":"Person[]"}]},
        "primary_type":"Mail",
        "message":{"from":{"name":"Cow","wallet":"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},
                   "to":{"name":"Bob","wallet":"0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},
                   "contents":"Hello, Bob!","amount":"1000",
                   "cc":[{"name":"A","wallet":"0x0000000000000000000000000000000000000001"},
                         {"name":"B","wallet":"0x0000000000000000000000000000000000000002"}]}}}}""";

  private Fixtures() {}

  static Supplier<String> ids() {
    final AtomicInteger next = new AtomicInteger();
    return () -> "rule-" + next.incrementAndGet();
  }

  /** A policy from its rules array (JSON). */
  static Policy policy(final String rules) {
    return PolicyParser.parsePolicy(
        Json.parse("{\"version\":\"1.0\",\"name\":\"test\",\"chain_type\":\"ethereum\",\"rules\":" + rules + "}"),
        "policy-1", 1_741_833_088_894L, Optional.empty(), ids());
  }

  static String rule(final String name, final String method, final String action, final String... conditions) {
    return "{\"name\":\"" + name + "\",\"method\":\"" + method + "\",\"action\":\"" + action + "\",\"conditions\":["
        + String.join(",", conditions) + "]}";
  }

  static String condition(final String source, final String field, final String operator, final String valueJson) {
    return "{\"field_source\":\"" + source + "\",\"field\":\"" + field + "\",\"operator\":\"" + operator
        + "\",\"value\":" + valueJson + "}";
  }

  static Decision evaluate(final Policy policy, final String body) {
    return evaluate(policy, body, CTX);
  }

  static Decision evaluate(final Policy policy, final String body, final EvaluationContext ctx) {
    final JsonNode request = Json.parse(body);
    return PolicyEngine.evaluate(policy, request.path("method").asText(), request, ctx);
  }
}
