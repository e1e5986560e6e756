package dev.mandate.e2e;

import static dev.mandate.e2e.MandateHttp.ok200;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Attacker class (1), a restricted signer with an override policy: a hash-signing method
 * ({@code raw_sign}, {@code secp256k1_sign}) signs a digest that may be a transaction's, so a DENY on
 * what a transaction holds must refuse it rather than go silent (found by the red team; failed on main).
 */
class HashSigningPolicyTest {
  private static final String VICTIM = "0x9999999999999999999999999999999999999999";
  /**
   * The EIP-1559 signing payload (0x02 || rlp([1, 0, 1, 1, 21000, VICTIM, 100 ETH, "", []])): its
   * keccak256 is the digest an eth_signTransaction of a 100 ETH transfer to VICTIM would sign.
   */
  private static final String TX_100_ETH = "0x02e8018001018252089499999999999999999999999999999999999999998905"
      + "6bc75e2d6310000080c0";

  private static MandateHttp api;
  private static AuthKey agent;
  private static String wallet;

  @BeforeAll
  static void setUp() {
    api = Stack.get().client();
    final AuthKey owner = AuthKey.generate();
    agent = AuthKey.generate();
    final String quorum = ok200(api.post("/v1/key_quorums", "{\"public_keys\":[\"" + agent.publicKey() + "\"]}")).path("id").asText();
    // A common agent policy: anything on chain 1 while the grant lasts, but never more than 1 ETH.
    final String policy = ok200(api.post("/v1/policies", "{\"version\":\"1.0\",\"name\":\"agent\",\"chain_type\":\"ethereum\","
        + "\"owner\":{\"public_key\":\"" + owner.publicKey() + "\"},\"rules\":["
        + "{\"name\":\"no more than 1 ETH\",\"method\":\"*\",\"action\":\"DENY\",\"conditions\":["
        + "{\"field_source\":\"ethereum_transaction\",\"field\":\"value\",\"operator\":\"gt\",\"value\":\"1000000000000000000\"}]},"
        + "{\"name\":\"while the grant lasts\",\"method\":\"*\",\"action\":\"ALLOW\",\"conditions\":["
        + "{\"field_source\":\"system\",\"field\":\"current_unix_timestamp\",\"operator\":\"lt\",\"value\":\"4102444800\"}]}]}"))
        .path("id").asText();
    wallet = ok200(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"owner\":{\"public_key\":\"" + owner.publicKey()
        + "\"},\"additional_signers\":[{\"signer_id\":\"" + quorum + "\",\"override_policy_ids\":[\"" + policy + "\"]}]}"))
        .path("id").asText();
  }

  /** Control: the DENY fires on the transaction itself. */
  @Test
  void theValueDenyRefusesA100EthTransaction() {
    assertDenied(api.signed("POST", "/v1/wallets/" + wallet + "/rpc", "{\"method\":\"eth_signTransaction\",\"params\":{"
        + "\"transaction\":{\"type\":2,\"chain_id\":1,\"nonce\":0,\"to\":\"" + VICTIM + "\",\"value\":\"0x56bc75e2d63100000\","
        + "\"gas_limit\":21000,\"max_fee_per_gas\":\"0x1\",\"max_priority_fee_per_gas\":\"0x1\"}}}", agent));
  }

  /**
   * Exploit: the agent sends raw_sign {bytes: <unsigned 100 ETH tx>, hash_function: keccak256}. The
   * value DENY reads ethereum_transaction, which "does not apply" to raw_sign (ABSENT), so it goes
   * silent and the wildcard ALLOW signs the 100 ETH transaction's digest; r,s,v + the payload is a
   * broadcastable transaction. A DENY must not go silent on the very object that is signed.
   */
  @Test
  void rawSignOfATransactionPayloadDoesNotSilenceTheValueDeny() {
    assertDenied(api.signed("POST", "/v1/wallets/" + wallet + "/raw_sign",
        "{\"params\":{\"bytes\":\"" + TX_100_ETH + "\",\"encoding\":\"hex\",\"hash_function\":\"keccak256\"}}", agent));
  }

  /** Same with the ready digest (secp256k1_sign): the DENY cannot see what a hash is, so it must refuse. */
  @Test
  void hashSigningDoesNotSilenceTheValueDeny() {
    final String digest = "0x" + java.util.HexFormat.of().formatHex(
        dev.mandate.enclave.ethereum.Keccak.keccak256(java.util.HexFormat.of().parseHex(TX_100_ETH.substring(2))));
    assertDenied(api.signed("POST", "/v1/wallets/" + wallet + "/rpc",
        "{\"method\":\"secp256k1_sign\",\"params\":{\"hash\":\"" + digest + "\"}}", agent));
  }

  private static void assertDenied(final MandateHttp.Response response) {
    assertThat(response.status()).as(response.toString()).isEqualTo(400);
    assertThat(response.code()).isEqualTo("policy_violation");
  }

}
