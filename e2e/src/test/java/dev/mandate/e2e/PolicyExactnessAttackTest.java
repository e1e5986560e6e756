package dev.mandate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mandate.enclave.solana.Base58;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Red-team pass (redteam2) on policy exactness: what a rule is given must be exactly what the policy's
 * owner wrote. Each test is named for the secure behaviour; its comment gives the exploit.
 */
class PolicyExactnessAttackTest {
  private static final String LISTED = "4tFqt2qzaNsnZqcpjPiyqYw9LdRzxaZdX2ewPncYEWLA";
  private static final String BLOCKHASH = "cGfHiC6Kgg3FpFZvgwGcswsCRtp4aBP2fzuXRQPizuN";

  private static MandateHttp api;

  @BeforeAll
  static void setUp() {
    api = Stack.get().newApp("pe");
  }

  private static com.fasterxml.jackson.databind.JsonNode ok(final MandateHttp.Response r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(200);
    return r.json();
  }

  /** A different 32-byte Solana address whose base58 text differs from {@code address} only in letter case. */
  static String caseVariant(final String address) {
    final char[] chars = address.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      final char c = chars[i];
      final char flipped = Character.isUpperCase(c) ? Character.toLowerCase(c) : Character.toUpperCase(c);
      if (flipped == c) {
        continue;
      }
      chars[i] = flipped;
      final String candidate = new String(chars);
      final Optional<byte[]> decoded = Base58.decodePublicKey(candidate);
      if (decoded.isPresent() && !candidate.equals(address)) {
        return candidate;
      }
      chars[i] = c;
    }
    throw new IllegalStateException("no case variant of " + address);
  }

  private static String signTransaction(final byte[] tx) {
    return "{\"method\":\"signTransaction\",\"chain_type\":\"solana\",\"params\":{\"transaction\":\"" + SolanaTx.base64(tx)
        + "\",\"encoding\":\"base64\"}}";
  }

  /*
   * Exploit: Solana addresses are case-sensitive base58 (the policy compares them exactly), but adding an
   * item to a condition set dropped any value equal to a listed one ignoring case, and still answered 200.
   * The blocklist's owner adds the attacker's address B next to a listed A that differs from B only in
   * case: B is silently left out, and a transfer to B passes the DENY rule the owner wrote for it.
   */
  @Test
  void aSolanaAddressAddedToABlocklistIsBlockedEvenIfAListedOneDiffersFromItOnlyInCase() {
    final String blocked = caseVariant(LISTED);
    final String set = ok(api.post("/v1/condition_sets", "{\"name\":\"blocked\"}")).path("id").asText();
    ok(api.post("/v1/condition_sets/" + set + "/condition_set_items", "[{\"value\":\"" + LISTED + "\"}]"));
    final String policy = ok(api.post("/v1/policies", "{\"version\":\"1.0\",\"name\":\"blocklist\",\"chain_type\":\"solana\","
        + "\"rules\":[{\"name\":\"no blocked payee\",\"method\":\"signTransaction\",\"action\":\"DENY\",\"conditions\":["
        + "{\"field_source\":\"solana_system_program_instruction\",\"field\":\"Transfer.to\",\"operator\":\"in_condition_set\","
        + "\"value\":\"" + set + "\"}]},"
        + "{\"name\":\"small transfers\",\"method\":\"signTransaction\",\"action\":\"ALLOW\",\"conditions\":["
        + "{\"field_source\":\"solana_system_program_instruction\",\"field\":\"Transfer.lamports\",\"operator\":\"lte\","
        + "\"value\":\"1000000\"}]}]}")).path("id").asText();
    final MandateHttp.Response created = api.post("/v1/wallets", "{\"chain_type\":\"solana\",\"policy_ids\":[\"" + policy + "\"]}");
    final String wallet = ok(created).path("id").asText();
    final String from = created.json().path("address").asText();
    final String rpc = "/v1/wallets/" + wallet + "/rpc";
    assertThat(api.post(rpc, signTransaction(SolanaTx.transfer(List.of(from), from, LISTED, 5, BLOCKHASH, false))).code())
        .isEqualTo("policy_violation");

    ok(api.post("/v1/condition_sets/" + set + "/condition_set_items", "[{\"value\":\"" + blocked + "\"}]"));

    final MandateHttp.Response toBlocked = api.post(rpc, signTransaction(SolanaTx.transfer(List.of(from), from, blocked, 5,
        BLOCKHASH, false)));
    assertThat(toBlocked.status()).as(toBlocked.toString()).isEqualTo(400);
    assertThat(toBlocked.code()).isEqualTo("policy_violation");
  }

  /** The fix keeps what was right: an EVM address listed again in another case is still one item. */
  @Test
  void anEvmAddressAddedAgainInAnotherCaseIsStillOneItem() {
    final String address = "0x000000000000000000000000000000000000a11c";
    final String set = ok(api.post("/v1/condition_sets", "{\"name\":\"evm\"}")).path("id").asText();
    ok(api.post("/v1/condition_sets/" + set + "/condition_set_items", "[{\"value\":\"" + address + "\"}]"));
    final String items = ok(api.post("/v1/condition_sets/" + set + "/condition_set_items",
        "[{\"value\":\"" + address.toUpperCase(java.util.Locale.ROOT).replace("0X", "0x") + "\"}]")).toString();
    assertThat(items.toLowerCase(java.util.Locale.ROOT).split(address, -1)).hasSize(2);
  }

  private static final String HASH = "0x" + "ab".repeat(32);
  private static final String WHILE_GRANTED = "{\"field_source\":\"system\",\"field\":\"current_unix_timestamp\","
      + "\"operator\":\"lt\",\"value\":\"4102444800\"}";

  /** An owned wallet whose signer may do anything while the grant lasts, except {@code denied} (a method). */
  private static MandateHttp.Response[] hashSigningWithDenied(final String denied) {
    final AuthKey owner = AuthKey.generate();
    final AuthKey agent = AuthKey.generate();
    final String quorum = ok(api.post("/v1/key_quorums", "{\"public_keys\":[\"" + agent.publicKey() + "\"]}")).path("id").asText();
    final String policy = ok(api.post("/v1/policies", "{\"version\":\"1.0\",\"name\":\"agent\",\"chain_type\":\"ethereum\","
        + "\"owner\":{\"public_key\":\"" + owner.publicKey() + "\"},\"rules\":["
        + "{\"name\":\"no raw hashes\",\"method\":\"" + denied + "\",\"action\":\"DENY\",\"conditions\":[" + WHILE_GRANTED + "]},"
        + "{\"name\":\"while the grant lasts\",\"method\":\"*\",\"action\":\"ALLOW\",\"conditions\":[" + WHILE_GRANTED + "]}]}"))
        .path("id").asText();
    final String wallet = ok(api.post("/v1/wallets", "{\"chain_type\":\"ethereum\",\"owner\":{\"public_key\":\""
        + owner.publicKey() + "\"},\"additional_signers\":[{\"signer_id\":\"" + quorum + "\",\"override_policy_ids\":[\""
        + policy + "\"]}]}")).path("id").asText();
    return new MandateHttp.Response[] {
        api.signed("POST", "/v1/wallets/" + wallet + "/rpc", "{\"method\":\"secp256k1_sign\",\"params\":{\"hash\":\""
            + HASH + "\"}}", agent),
        api.signed("POST", "/v1/wallets/" + wallet + "/raw_sign", "{\"params\":{\"hash\":\"" + HASH + "\"}}", agent)};
  }

  private static void assertDenied(final MandateHttp.Response r) {
    assertThat(r.status()).as(r.toString()).isEqualTo(400);
    assertThat(r.code()).isEqualTo("policy_violation");
  }

  /*
   * Exploit: raw_sign and rpc secp256k1_sign sign the same thing (any 32-byte digest, byte-identical
   * answers), but a rule named one method only. The owner approved the agent for "anything but raw
   * hashes" (DENY secp256k1_sign); the agent asks /raw_sign for the same digest and the DENY is silent.
   */
  @Test
  void aDenyOnSecp256k1SignAlsoRefusesRawSignOfTheSameDigest() {
    final MandateHttp.Response[] both = hashSigningWithDenied("secp256k1_sign");
    assertDenied(both[0]);
    assertDenied(both[1]);
  }

  /* Exploit: the other way round, DENY raw_sign dodged through rpc secp256k1_sign. */
  @Test
  void aDenyOnRawSignAlsoRefusesSecp256k1SignOfTheSameDigest() {
    final MandateHttp.Response[] both = hashSigningWithDenied("raw_sign");
    assertDenied(both[1]);
    assertDenied(both[0]);
  }
}
