package dev.mandate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mandate.enclave.solana.Base58;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Solana wallets over HTTP: ed25519 keys made in the enclave, signMessage and signTransaction as
 * Privy's SDK sends them, a signer held to a transfer cap, and bad input refused without a 500.
 */
class SolanaTest {
  private static final String RECIPIENT = "4tFqt2qzaNsnZqcpjPiyqYw9LdRzxaZdX2ewPncYEWLA";
  private static final String APP_PAYER = "8qbHbw2BbbTHBW1sbeqakYXVKRQM8Ne7pLK7m6CVfeR";
  private static final String BLOCKHASH = "cGfHiC6Kgg3FpFZvgwGcswsCRtp4aBP2fzuXRQPizuN";

  private static MandateHttp api;
  private static AuthKey owner;
  private static AuthKey agent;
  private static String wallet;
  private static String address;

  @BeforeAll
  static void setUp() {
    api = Stack.get().client();
    owner = AuthKey.generate();
    agent = AuthKey.generate();
    final String agentQuorum = ok(api.post("/v1/key_quorums", "{\"public_keys\":[\"" + agent.publicKey() + "\"]}")).path("id").asText();
    final String cap = ok(api.post("/v1/policies", "{\"version\":\"1.0\",\"name\":\"SOL cap\",\"chain_type\":\"solana\",\"rules\":["
        + "{\"name\":\"up to 0.001 SOL to one recipient\",\"method\":\"signTransaction\",\"action\":\"ALLOW\",\"conditions\":["
        + "{\"field_source\":\"solana_system_program_instruction\",\"field\":\"Transfer.lamports\",\"operator\":\"lte\",\"value\":\"1000000\"},"
        + "{\"field_source\":\"solana_system_program_instruction\",\"field\":\"Transfer.to\",\"operator\":\"in\",\"value\":[\"" + RECIPIENT + "\"]}]}]}"))
        .path("id").asText();
    final MandateHttp.Response created = api.post("/v1/wallets", "{\"chain_type\":\"solana\",\"owner\":{\"public_key\":\""
        + owner.publicKey() + "\"},\"additional_signers\":[{\"signer_id\":\"" + agentQuorum + "\",\"override_policy_ids\":[\"" + cap + "\"]}]}");
    wallet = ok(created).path("id").asText();
    address = created.json().path("address").asText();
  }

  private static com.fasterxml.jackson.databind.JsonNode ok(final MandateHttp.Response r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  private static String rpc() {
    return "/v1/wallets/" + wallet + "/rpc";
  }

  private static String signTransaction(final byte[] tx) {
    return "{\"method\":\"signTransaction\",\"chain_type\":\"solana\",\"params\":{\"transaction\":\"" + SolanaTx.base64(tx)
        + "\",\"encoding\":\"base64\"}}";
  }

  @Test
  void aSolanaWalletHasABase58Ed25519AddressAndIsListedAsSolana() {
    assertThat(Base58.decodePublicKey(address)).isPresent();
    final MandateHttp.Response got = api.get("/v1/wallets/" + wallet);
    assertThat(got.json().path("chain_type").asText()).isEqualTo("solana");
    assertThat(got.json().path("address").asText()).isEqualTo(address);
    assertThat(got.json().has("wrapped_key")).isFalse();
    final MandateHttp.Response listed = api.get("/v1/wallets?chain_type=solana");
    assertThat(listed.status()).as(listed.toString()).isEqualTo(200);
    assertThat(listed.json().path("data").findValuesAsText("chain_type")).containsOnly("solana");
  }

  @Test
  void aUsersSolanaWalletIsAmongItsLinkedAccounts() {
    final String user = ok(api.post("/v1/users", "{\"linked_accounts\":[{\"type\":\"email\",\"address\":\"sol-"
        + System.nanoTime() + "@example.com\"}]}")).path("id").asText();
    final MandateHttp.Response created = api.post("/v1/wallets", "{\"chain_type\":\"solana\",\"owner\":{\"user_id\":\"" + user + "\"}}");
    final String owned = ok(created).path("address").asText();
    final var accounts = ok(api.get("/v1/users/" + user)).path("linked_accounts");
    assertThat(accounts.findParents("address").stream()
        .filter(a -> a.path("type").asText().equals("wallet"))
        .map(a -> a.path("chain_type").asText() + ":" + a.path("address").asText()))
        .containsExactly("solana:" + owned);
  }

  @Test
  void signMessageIsEd25519OverTheRawBytes() {
    final byte[] message = "hello, Privy!".getBytes(StandardCharsets.UTF_8);
    // Privy's own docs example is mis-padded base64; it is accepted as Node's Buffer does.
    final String unpadded = Base64.getEncoder().withoutPadding().encodeToString(message);
    final MandateHttp.Response r = api.signed("POST", rpc(), "{\"method\":\"signMessage\",\"chain_type\":\"solana\","
        + "\"params\":{\"message\":\"" + unpadded + "\",\"encoding\":\"base64\"}}", owner);
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    assertThat(r.json().path("method").asText()).isEqualTo("signMessage");
    assertThat(r.json().path("data").path("encoding").asText()).isEqualTo("base64");
    final byte[] signature = Base64.getDecoder().decode(r.json().path("data").path("signature").asText());
    assertThat(SolanaTx.verify(address, message, signature)).isTrue();
  }

  @Test
  void signTransactionFillsTheWalletsSlotAndKeepsTheRest() {
    for (final boolean v0 : new boolean[] {false, true}) {
      final byte[] tx = SolanaTx.transfer(List.of(APP_PAYER, address), address, RECIPIENT, 5, BLOCKHASH, v0);
      Arrays.fill(tx, 1, 65, (byte) 7); // the app's co-signature, already present
      final MandateHttp.Response r = api.signed("POST", rpc(), signTransaction(tx), owner);
      assertThat(r.status()).as(r.toString()).isEqualTo(200);
      final byte[] signed = Base64.getDecoder().decode(r.json().path("data").path("signed_transaction").asText());
      assertThat(SolanaTx.message(signed)).isEqualTo(SolanaTx.message(tx));
      assertThat(SolanaTx.signature(signed, 0)).isEqualTo(SolanaTx.signature(tx, 0));
      assertThat(SolanaTx.verify(address, SolanaTx.message(tx), SolanaTx.signature(signed, 1))).as("v0=" + v0).isTrue();
    }
  }

  @Test
  void theSignerWithATransferCapIsAllowedUnderItAndDeniedOverIt() {
    final MandateHttp.Response small = api.signed("POST", rpc(),
        signTransaction(SolanaTx.transfer(List.of(address), address, RECIPIENT, 1_000_000, BLOCKHASH, true)), agent);
    assertThat(small.status()).as(small.toString()).isEqualTo(200);
    final MandateHttp.Response large = api.signed("POST", rpc(),
        signTransaction(SolanaTx.transfer(List.of(address), address, RECIPIENT, 1_000_001, BLOCKHASH, true)), agent);
    assertThat(large.status()).as(large.toString()).isEqualTo(400);
    assertThat(large.code()).isEqualTo("policy_violation");
    final MandateHttp.Response elsewhere = api.signed("POST", rpc(),
        signTransaction(SolanaTx.transfer(List.of(address), address, APP_PAYER, 1, BLOCKHASH, false)), agent);
    assertThat(elsewhere.code()).isEqualTo("policy_violation");
    final MandateHttp.Response message = api.signed("POST", rpc(), "{\"method\":\"signMessage\",\"params\":{\"message\":\"aGk=\","
        + "\"encoding\":\"base64\"}}", agent);
    assertThat(message.code()).as("the cap policy has no signMessage rule").isEqualTo("policy_violation");
    // The owner is not held to the signer's override.
    assertThat(api.signed("POST", rpc(), signTransaction(SolanaTx.transfer(List.of(address), address, APP_PAYER, 9_000_000,
        BLOCKHASH, false)), owner).status()).isEqualTo(200);
  }

  @Test
  void aConditionSetOfRecipientsWidensTheAllowListWithoutEditingThePolicy() {
    final String set = ok(api.post("/v1/condition_sets", "{\"name\":\"payees\"}")).path("id").asText();
    final String policy = ok(api.post("/v1/policies", "{\"version\":\"1.0\",\"name\":\"payees\",\"chain_type\":\"solana\",\"rules\":["
        + "{\"name\":\"to a payee\",\"method\":\"signTransaction\",\"action\":\"ALLOW\",\"conditions\":["
        + "{\"field_source\":\"solana_system_program_instruction\",\"field\":\"Transfer.to\",\"operator\":\"in_condition_set\",\"value\":\"" + set + "\"}]}]}"))
        .path("id").asText();
    final MandateHttp.Response created = api.post("/v1/wallets", "{\"chain_type\":\"solana\",\"policy_ids\":[\"" + policy + "\"]}");
    final String w = ok(created).path("id").asText();
    final String from = created.json().path("address").asText();
    final String body = signTransaction(SolanaTx.transfer(List.of(from), from, RECIPIENT, 5, BLOCKHASH, false));
    assertThat(api.post("/v1/wallets/" + w + "/rpc", body).code()).isEqualTo("policy_violation");
    ok(api.post("/v1/condition_sets/" + set + "/condition_set_items", "[{\"value\":\"" + RECIPIENT + "\"}]"));
    final MandateHttp.Response allowed = api.post("/v1/wallets/" + w + "/rpc", body);
    assertThat(allowed.status()).as(allowed.toString()).isEqualTo(200);
  }

  @Test
  void aTransactionTheWalletNeedNotSignIsRefused() {
    final byte[] tx = SolanaTx.transfer(List.of(APP_PAYER), APP_PAYER, address, 5, BLOCKHASH, false);
    final MandateHttp.Response r = api.signed("POST", rpc(), signTransaction(tx), owner);
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("invalid_data");
    assertThat(r.error()).contains("not one of its required signers");
  }

  @Test
  void signMessageRefusesBytesThatAreATransactionForThisWallet() {
    final byte[] tx = SolanaTx.transfer(List.of(address), address, APP_PAYER, 9_000_000, BLOCKHASH, false);
    final MandateHttp.Response r = api.signed("POST", rpc(), "{\"method\":\"signMessage\",\"params\":{\"message\":\""
        + SolanaTx.base64(SolanaTx.message(tx)) + "\",\"encoding\":\"base64\"}}", agent);
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.error()).contains("signTransaction");
  }

  @Test
  void badInputIsAClear400AndNever500() {
    final String[] bodies = {
      "{\"method\":\"signTransaction\",\"params\":{\"transaction\":\"not base64!\",\"encoding\":\"base64\"}}",
      "{\"method\":\"signTransaction\",\"params\":{\"transaction\":\"AAAA\",\"encoding\":\"base64\"}}",
      "{\"method\":\"signTransaction\",\"params\":{\"transaction\":\"" + SolanaTx.base64(SolanaTx.transfer(List.of(address), address,
          RECIPIENT, 1, BLOCKHASH, false)) + "AA==\",\"encoding\":\"base64\"}}",
      "{\"method\":\"signMessage\",\"params\":{\"message\":\"aGk=\",\"encoding\":\"hex\"}}",
      "{\"method\":\"signMessage\",\"params\":{\"message\":\"aGk=\"}}",
      "{\"method\":\"signMessage\",\"chain_type\":\"ethereum\",\"params\":{\"message\":\"aGk=\",\"encoding\":\"base64\"}}",
      "{\"method\":\"personal_sign\",\"params\":{\"message\":\"hi\",\"encoding\":\"utf-8\"}}",
      "{\"method\":\"signAndSendTransaction\",\"caip2\":\"eip155:1\",\"params\":{\"transaction\":\"AAAA\",\"encoding\":\"base64\"}}",
      "{\"method\":\"signMessage\",\"params\":[]}",
      "{\"method\":\"eth_sendTransaction\",\"caip2\":\"eip155:31337\",\"params\":{\"transaction\":{\"to\":\"0x000000000000000000000000000000000000dEaD\",\"value\":1}}}",
      "{\"method\":\"eth_signTransaction\",\"params\":{\"transaction\":{\"to\":\"0x000000000000000000000000000000000000dEaD\",\"value\":1,\"chain_id\":1}}}",
    };
    for (final String body : bodies) {
      final MandateHttp.Response r = api.signed("POST", rpc(), body, owner);
      assertThat(r.status()).as(body + " -> " + r).isEqualTo(400);
      assertThat(r.code()).as(body).isEqualTo("invalid_data");
    }
    final String eth = ok(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\"}")).path("id").asText();
    for (final String body : new String[] {
      "{\"method\":\"signMessage\",\"params\":{\"message\":\"aGk=\",\"encoding\":\"base64\"}}",
      "{\"method\":\"signAndSendTransaction\",\"caip2\":\"solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1\",\"params\":{\"transaction\":\"AAAA\",\"encoding\":\"base64\"}}"}) {
      final MandateHttp.Response r = api.post("/v1/wallets/" + eth + "/rpc", body);
      assertThat(r.status()).as(body + " on an Ethereum wallet -> " + r).isEqualTo(400);
    }
    final MandateHttp.Response raw = api.signed("POST", "/v1/wallets/" + wallet + "/raw_sign",
        "{\"params\":{\"hash\":\"0x" + "ab".repeat(32) + "\"}}", owner);
    assertThat(raw.status()).as(raw.toString()).isEqualTo(400);
    // A Solana policy cannot be attached to an Ethereum wallet, and the reverse.
    final String ethPolicy = ok(api.post("/v1/policies", "{\"version\":\"1.0\",\"name\":\"eth\",\"chain_type\":\"ethereum\",\"rules\":[]}"))
        .path("id").asText();
    assertThat(api.post("/v1/wallets", "{\"chain_type\":\"solana\",\"policy_ids\":[\"" + ethPolicy + "\"]}").code()).isEqualTo("invalid_data");
  }
}
