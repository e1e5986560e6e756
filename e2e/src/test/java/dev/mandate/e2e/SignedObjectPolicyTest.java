package dev.mandate.e2e;

import static dev.mandate.e2e.MandateHttp.ok200;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 10 over HTTP, as a restricted signer with its own key: the policy judges the object that is
 * signed (typed data aliases, fees, chains) and numbers the signature would round are refused.
 */
class SignedObjectPolicyTest {
  private static final String SPENDER = "0x9999999999999999999999999999999999999999";
  private static final String TOKEN = "0x3333333333333333333333333333333333333333";
  private static final String PERMIT_TYPES = "\"Permit\":[{\"name\":\"owner\",\"type\":\"address\"},{\"name\":\"spender\","
      + "\"type\":\"address\"},{\"name\":\"value\",\"type\":\"uint256\"},{\"name\":\"nonce\",\"type\":\"uint256\"},"
      + "{\"name\":\"deadline\",\"type\":\"uint256\"}]";

  private static MandateHttp api;
  private static AuthKey agent;
  private static String wallet;

  @BeforeAll
  static void setUp() {
    api = Stack.get().client();
    final AuthKey owner = AuthKey.generate();
    agent = AuthKey.generate();
    final String quorum = ok200(api.post("/v1/key_quorums", "{\"public_keys\":[\"" + agent.publicKey() + "\"]}")).path("id").asText();
    final String policy = ok200(api.post("/v1/policies", "{\"version\":\"1.0\",\"name\":\"agent\",\"chain_type\":\"ethereum\","
        + "\"owner\":{\"public_key\":\"" + owner.publicKey() + "\"},\"rules\":["
        + "{\"name\":\"zero-value calls with bounded fees\",\"method\":\"eth_signTransaction\",\"action\":\"ALLOW\",\"conditions\":["
        + "{\"field_source\":\"ethereum_transaction\",\"field\":\"value\",\"operator\":\"eq\",\"value\":\"0\"},"
        + "{\"field_source\":\"ethereum_transaction\",\"field\":\"chain_id\",\"operator\":\"eq\",\"value\":\"1\"},"
        + "{\"field_source\":\"ethereum_transaction\",\"field\":\"max_fee\",\"operator\":\"lte\",\"value\":\"10000000000000000\"}]},"
        + "{\"name\":\"typed data\",\"method\":\"eth_signTypedData_v4\",\"action\":\"ALLOW\",\"conditions\":[]},"
        + "{\"name\":\"no permit to the spender\",\"method\":\"eth_signTypedData_v4\",\"action\":\"DENY\",\"conditions\":["
        + "{\"field_source\":\"ethereum_typed_data_message\",\"field\":\"spender\",\"operator\":\"eq\",\"value\":\"" + SPENDER
        + "\",\"typed_data\":{\"types\":{" + PERMIT_TYPES + "},\"primary_type\":\"Permit\"}}]}]}")).path("id").asText();
    wallet = ok200(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"owner\":{\"public_key\":\"" + owner.publicKey()
        + "\"},\"additional_signers\":[{\"signer_id\":\"" + quorum + "\",\"override_policy_ids\":[\"" + policy + "\"]}]}"))
        .path("id").asText();
  }

  private static String rpc() {
    return "/v1/wallets/" + wallet + "/rpc";
  }

  private static String permit(final String primaryType) {
    return "{\"method\":\"eth_signTypedData_v4\",\"params\":{\"typed_data\":{\"domain\":{\"name\":\"T\",\"chainId\":1,"
        + "\"verifyingContract\":\"" + TOKEN + "\"},\"types\":{" + PERMIT_TYPES + "}," + primaryType + ",\"message\":{"
        + "\"owner\":\"0x1111111111111111111111111111111111111111\",\"spender\":\"" + SPENDER + "\",\"value\":\"1\","
        + "\"nonce\":0,\"deadline\":1}}}}";
  }

  private static String tx(final String chain, final String gasLimit, final String maxFeePerGas) {
    return "{\"method\":\"eth_signTransaction\",\"params\":{\"transaction\":{\"type\":2," + chain + "\"nonce\":0,\"to\":\""
        + TOKEN + "\",\"value\":0,\"gas_limit\":" + gasLimit + ",\"max_fee_per_gas\":\"" + maxFeePerGas
        + "\",\"max_priority_fee_per_gas\":\"0x1\"}}}";
  }

  @Test
  void aNullPrimaryTypeAliasDoesNotHideAPermitFromTheDeny() {
    assertDenied(api.signed("POST", rpc(), permit("\"primaryType\":\"Permit\""), agent));
    assertDenied(api.signed("POST", rpc(), permit("\"primary_type\":null,\"primaryType\":\"Permit\""), agent));
  }

  @Test
  void aValueZeroSignerCannotGet30000EthOfMaximumFeesSigned() {
    assertThat(api.signed("POST", rpc(), tx("\"chain_id\":1,", "21000", "0x6fc23ac00"), agent).status()).isEqualTo(200);
    assertDenied(api.signed("POST", rpc(), tx("\"chain_id\":1,", "30000000", "0x38d7ea4c68000"), agent));
  }

  @Test
  void aChainConditionCannotBeBypassedByOmittingTheChainId() {
    final String legacy = "{\"method\":\"eth_signTransaction\",\"params\":{\"transaction\":{\"type\":0,\"nonce\":0,\"to\":\""
        + TOKEN + "\",\"value\":0,\"gas_limit\":21000,\"gas_price\":\"0x1\"}}}";
    final MandateHttp.Response refused = api.signed("POST", rpc(), legacy, agent);
    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(refused.error()).contains("params.transaction.chain_id");
    assertDenied(api.signed("POST", rpc(), legacy.replace("{\"method\"", "{\"allow_pre_eip155\":true,\"method\""), agent));
  }

  @Test
  void aNumberTheSignatureWouldRoundIsRefusedNamingTheField() {
    // The agent signs as a JavaScript client does: RFC 8785 over doubles, so ...993 is signed as ...992,
    // and a relay could swap one for the other under the same signature.
    final String body = tx("\"chain_id\":1,", "21000", "0x1").replace("\"value\":0", "\"value\":9007199254740993");
    final String payload = "{\"version\":1,\"method\":\"POST\",\"url\":\"" + api.baseUrl() + rpc() + "\",\"body\":" + body
        + ",\"headers\":{\"privy-app-id\":\"" + api.appId() + "\"}}";
    final String signature = agent.signBytes(dev.mandate.enclave.authorization.Jcs.canonicalize(payload));
    final MandateHttp.Response refused = api.send("POST", rpc(), body,
        java.util.Map.of("privy-authorization-signature", signature));
    assertThat(refused.status()).as(refused.toString()).isEqualTo(400);
    assertThat(refused.error()).contains("params.transaction.value");
  }

  @Test
  void duplicateKeysAndTrailingValuesAreRefused() {
    final String appWallet = ok200(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\"}")).path("id").asText();
    final String path = "/v1/wallets/" + appWallet + "/rpc";
    final MandateHttp.Response duplicate = api.post(path, permit("\"primaryType\":\"Permit\",\"primaryType\":\"Other\""));
    assertThat(duplicate.status()).as(duplicate.toString()).isEqualTo(400);
    final MandateHttp.Response trailing = api.post(path, permit("\"primaryType\":\"Permit\"") + " {\"method\":\"personal_sign\"}");
    assertThat(trailing.status()).as(trailing.toString()).isEqualTo(400);
    assertThat(api.post(path, permit("\"primaryType\":\"Permit\"")).status()).isEqualTo(200);
  }

  private static void assertDenied(final MandateHttp.Response response) {
    assertThat(response.status()).as(response.toString()).isEqualTo(400);
    assertThat(response.code()).isEqualTo("policy_violation");
  }

}
