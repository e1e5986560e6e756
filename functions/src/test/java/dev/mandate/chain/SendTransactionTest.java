package dev.mandate.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.enclave.ethereum.Hex;
import dev.mandate.enclave.ethereum.Secp256k1PrivateKey;
import dev.mandate.enclave.ethereum.SigningRequest;
import dev.mandate.testkit.HardhatNode;
import java.math.BigInteger;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fill, sign (with the enclave's signer), broadcast and read receipts against a real local node.
 * Each test sends from its own dev account so nonces never interleave.
 */
class SendTransactionTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final BigInteger ONE_ETH = BigInteger.TEN.pow(18);
  /** Init code that deploys runtime code {@code PUSH1 0 PUSH1 0 REVERT}: every call reverts. */
  private static final String REVERTER_INIT_CODE = "0x6005600c60003960056000f360006000fd";

  private static HardhatNode node;
  private static JsonRpcClient rpc;

  @BeforeAll
  static void startNode() {
    node = HardhatNode.start();
    rpc = JsonRpcClient.of(node.rpcUrl());
  }

  @AfterAll
  static void stopNode() {
    node.close();
  }

  @Test
  void sendsAFilledEip1559TransferAndMovesBalancesByValuePlusFee() {
    final String sender = node.accountAddresses().get(1);
    final String recipient = freshAddress();
    final BigInteger before = Accounts.balance(sender, rpc);

    final ObjectNode filled = fill(1, "{\"to\":\"" + recipient + "\",\"value\":\"" + Quantities.hex(ONE_ETH) + "\"}");
    final String raw = sign(1, filled);
    final String hash = Broadcaster.send(raw, rpc);

    assertThat(filled.get("type").asText()).isEqualTo("0x2");
    assertThat(filled.get("chain_id").asText()).isEqualTo("0x7a69");
    assertThat(hash).isEqualTo(Broadcaster.transactionHash(raw));
    final TxStatus status = Receipts.status(hash, rpc).orElseThrow();
    assertThat(status.outcome()).isEqualTo(TxStatus.Outcome.CONFIRMED);
    assertThat(status.outcome().privyStatus()).isEqualTo("confirmed");
    assertThat(status.gasUsed()).isEqualTo(BigInteger.valueOf(21_000));
    assertThat(status.blockNumber()).isPositive();
    assertThat(Accounts.balance(recipient, rpc)).isEqualTo(ONE_ETH);
    assertThat(before.subtract(Accounts.balance(sender, rpc))).isEqualTo(ONE_ETH.add(status.fee()));
  }

  @Test
  void sendsALegacyTransactionAtTheGivenGasPrice() {
    final ObjectNode filled = fill(2, "{\"to\":\"" + freshAddress() + "\",\"value\":5,\"gas_price\":\"3000000000\"}");
    final String hash = Broadcaster.send(sign(2, filled), rpc);

    assertThat(filled.get("type").asText()).isEqualTo("0x0");
    assertThat(filled.get("gas_price").asText()).isEqualTo("3000000000");
    assertThat(Receipts.status(hash, rpc)).hasValueSatisfying(s -> {
      assertThat(s.outcome()).isEqualTo(TxStatus.Outcome.CONFIRMED);
      assertThat(s.effectiveGasPrice()).isEqualTo(BigInteger.valueOf(3_000_000_000L));
    });
  }

  @Test
  void keepsExplicitFieldsWhenSending() {
    final BigInteger nonce = Accounts.pendingNonce(node.accountAddresses().get(3), rpc);
    final ObjectNode filled = fill(3, "{\"to\":\"" + freshAddress() + "\",\"nonce\":" + nonce + ",\"gas_limit\":30000,"
        + "\"max_fee_per_gas\":\"0x77359400\",\"max_priority_fee_per_gas\":\"0x1\"}");

    assertThat(filled.get("nonce").asLong()).isEqualTo(nonce.longValue());
    assertThat(filled.get("gas_limit").asInt()).isEqualTo(30_000);
    final String hash = Broadcaster.send(sign(3, filled), rpc);
    assertThat(Receipts.status(hash, rpc).orElseThrow().outcome()).isEqualTo(TxStatus.Outcome.CONFIRMED);
  }

  @Test
  void refusesASenderWithoutFundsAsInsufficientFunds() {
    try (Secp256k1PrivateKey key = Secp256k1PrivateKey.generate()) {
      final String from = key.address().toLowerHex();
      final ObjectNode filled = TransactionFiller.fill(
          tx("{\"to\":\"" + freshAddress() + "\",\"value\":1}"), from, node.chainId(), rpc);
      final String raw = sign(key, filled);

      assertThatThrownBy(() -> Broadcaster.send(raw, rpc))
          .isInstanceOf(InsufficientFundsException.class)
          .hasMessageContaining("funds");
    }
  }

  @Test
  void recordsACallThatRevertsAsExecutionReverted() {
    final String contract = deployReverter(4);

    assertThatThrownBy(() -> fill(4, "{\"to\":\"" + contract + "\",\"data\":\"0x01\"}"))
        .isInstanceOf(GasEstimationFailedException.class);
    final ObjectNode filled = fill(4, "{\"to\":\"" + contract + "\",\"data\":\"0x01\",\"gas_limit\":\"0x186a0\"}");
    final String hash = Broadcaster.send(sign(4, filled), rpc);

    final TxStatus status = Receipts.status(hash, rpc).orElseThrow();
    assertThat(status.outcome()).isEqualTo(TxStatus.Outcome.EXECUTION_REVERTED);
    assertThat(status.outcome().privyStatus()).isEqualTo("execution_reverted");
  }

  @Test
  void treatsRebroadcastingAMinedTransactionAsAlreadyKnown() {
    final String raw = sign(5, fill(5, "{\"to\":\"" + freshAddress() + "\",\"value\":1}"));
    final String hash = Broadcaster.send(raw, rpc);

    assertThatThrownBy(() -> Broadcaster.send(raw, rpc))
        .isInstanceOfSatisfying(NonceConflictException.class, e -> {
          assertThat(e.alreadyKnown()).isTrue();
          assertThat(e.transactionHash()).isEqualTo(hash);
        });
    assertThat(Broadcaster.sendIdempotently(raw, rpc)).isEqualTo(hash);
  }

  @Test
  void treatsRebroadcastingAPendingTransactionAsAlreadyKnownAndReportsNoStatusUntilMined() {
    node.setAutomine(false);
    try {
      final String raw = sign(6, fill(6, "{\"to\":\"" + freshAddress() + "\",\"value\":1}"));
      final String hash = Broadcaster.send(raw, rpc);

      assertThat(Receipts.status(hash, rpc)).isEmpty();
      assertThat(Broadcaster.sendIdempotently(raw, rpc)).isEqualTo(hash);
      node.mine();
      assertThat(Receipts.status(hash, rpc)).hasValueSatisfying(
          s -> assertThat(s.outcome()).isEqualTo(TxStatus.Outcome.CONFIRMED));
    } finally {
      node.setAutomine(true);
    }
  }

  @Test
  void refusesAnotherTransactionWithATakenNonceAsANonceConflict() {
    final ObjectNode first = fill(7, "{\"to\":\"" + freshAddress() + "\",\"value\":1}");
    Broadcaster.send(sign(7, first), rpc);
    final ObjectNode second = first.deepCopy().put("value", 2);

    assertThatThrownBy(() -> Broadcaster.send(sign(7, second), rpc))
        .isInstanceOfSatisfying(NonceConflictException.class, e -> assertThat(e.alreadyKnown()).isFalse());
    assertThatThrownBy(() -> Broadcaster.sendIdempotently(sign(7, second), rpc))
        .isInstanceOf(NonceConflictException.class);
  }

  @Test
  void reportsOtherRefusalsAsBroadcastFailures() {
    assertThatThrownBy(() -> Broadcaster.send("0x02c0", rpc)).isInstanceOf(BroadcastFailedException.class);
  }

  @Test
  void reportsNoStatusForAnUnknownHash() {
    assertThat(Receipts.status("0x" + "ab".repeat(32), rpc)).isEqualTo(Optional.empty());
  }

  private static String deployReverter(final int account) {
    final String hash = Broadcaster.send(sign(account, fill(account, "{\"data\":\"" + REVERTER_INIT_CODE + "\"}")), rpc);
    final JsonNode receipt = rpc.call("eth_getTransactionReceipt", hash);
    assertThat(receipt.get("status").asText()).isEqualTo("0x1");
    return receipt.get("contractAddress").asText();
  }

  private static ObjectNode fill(final int account, final String json) {
    return TransactionFiller.fill(tx(json), node.accountAddresses().get(account), node.chainId(), rpc);
  }

  private static String sign(final int account, final ObjectNode filled) {
    try (Secp256k1PrivateKey key = Secp256k1PrivateKey.fromBytes(Hex.decode(node.accountPrivateKeys().get(account)))) {
      return sign(key, filled);
    }
  }

  private static String sign(final Secp256k1PrivateKey key, final ObjectNode filled) {
    final ObjectNode body = MAPPER.createObjectNode()
        .put("method", "eth_signTransaction")
        .put("caip2", Chains.caip2(node.chainId()));
    body.putObject("params").set("transaction", filled);
    return SigningRequest.parseRpc("eth_signTransaction", body).sign(key).get("signed_transaction").asText();
  }

  private static String freshAddress() {
    try (Secp256k1PrivateKey key = Secp256k1PrivateKey.generate()) {
      return key.address().toLowerHex();
    }
  }

  private static ObjectNode tx(final String json) {
    try {
      return (ObjectNode) MAPPER.readTree(json);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
