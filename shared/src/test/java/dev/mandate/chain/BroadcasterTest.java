package dev.mandate.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** How refusals in the wording of geth and other nodes are sorted; {@link SendTransactionTest} covers hardhat's. */
class BroadcasterTest {
  private static final String RAW = "0x02f86b827a69";

  @Test
  void returnsTheNodesHash() {
    try (StubNode node = new StubNode().result("eth_sendRawTransaction", "\"0x1234\"")) {
      assertThat(Broadcaster.send(RAW, node.client())).isEqualTo("0x1234");
    }
  }

  @Test
  void keepsGethsInsufficientFundsMessage() {
    final String message = "insufficient funds for gas * price + value: have 0 want 21000000000000";
    try (StubNode node = new StubNode().error("eth_sendRawTransaction", -32000, message)) {
      assertThatThrownBy(() -> Broadcaster.send(RAW, node.client()))
          .isInstanceOf(InsufficientFundsException.class).hasMessage(message);
    }
  }

  @Test
  void treatsAlreadyKnownAsTheSameTransaction() {
    try (StubNode node = new StubNode().error("eth_sendRawTransaction", -32000, "already known")) {
      assertThatThrownBy(() -> Broadcaster.send(RAW, node.client()))
          .isInstanceOfSatisfying(NonceConflictException.class, e -> {
            assertThat(e.alreadyKnown()).isTrue();
            assertThat(e.transactionHash()).isEqualTo(Broadcaster.transactionHash(RAW));
          });
      assertThat(Broadcaster.sendIdempotently(RAW, node.client())).isEqualTo(Broadcaster.transactionHash(RAW));
    }
  }

  @Test
  void treatsNonceTooLowAsAConflictUnlessTheNodeHasThisTransaction() {
    try (StubNode node = new StubNode().error("eth_sendRawTransaction", -32000, "nonce too low: next nonce 5, tx nonce 4")
        .result("eth_getTransactionByHash", "null")) {
      assertThatThrownBy(() -> Broadcaster.send(RAW, node.client()))
          .isInstanceOfSatisfying(NonceConflictException.class, e -> assertThat(e.alreadyKnown()).isFalse());

      node.result("eth_getTransactionByHash", "{\"hash\":\"0x01\"}");
      assertThatThrownBy(() -> Broadcaster.send(RAW, node.client()))
          .isInstanceOfSatisfying(NonceConflictException.class, e -> assertThat(e.alreadyKnown()).isTrue());
    }
  }

  @Test
  void treatsAnUnderpricedReplacementAsANonceConflict() {
    try (StubNode node = new StubNode().error("eth_sendRawTransaction", -32000, "replacement transaction underpriced")
        .result("eth_getTransactionByHash", "null")) {
      assertThatThrownBy(() -> Broadcaster.send(RAW, node.client())).isInstanceOf(NonceConflictException.class);
    }
  }

  @Test
  void reportsAnyOtherRefusalAsABroadcastFailure() {
    try (StubNode node = new StubNode().error("eth_sendRawTransaction", -32000, "max fee per gas less than block base fee")) {
      assertThatThrownBy(() -> Broadcaster.send(RAW, node.client()))
          .isInstanceOf(BroadcastFailedException.class).hasMessage("max fee per gas less than block base fee");
    }
  }

  @Test
  void refusesARawTransactionThatIsNotHexWithoutEchoingIt() {
    assertThatThrownBy(() -> Broadcaster.transactionHash("0xzz-secret"))
        .isInstanceOf(InvalidTransactionException.class).hasMessageNotContaining("secret");
  }
}
