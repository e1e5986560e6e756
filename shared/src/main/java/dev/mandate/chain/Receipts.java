package dev.mandate.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.Optional;

/** Reads transaction receipts. */
public final class Receipts {
  private Receipts() {}

  /**
   * The outcome of a transaction, empty while it is pending (or unknown to the node).
   *
   * @throws ChainUnavailableException when the node cannot be reached or its receipt is malformed
   *     (e.g. a pre-Byzantium receipt without {@code status})
   * @throws JsonRpcException when the node refuses the query
   */
  public static Optional<TxStatus> status(final String txHash, final JsonRpcClient rpc) {
    final JsonNode receipt = rpc.call("eth_getTransactionReceipt", txHash);
    if (receipt.isNull() || receipt.path("blockNumber").isNull() || receipt.path("blockNumber").isMissingNode()) {
      return Optional.empty();
    }
    final BigInteger status = Quantities.fromNode(receipt.get("status"), "receipt status");
    final TxStatus.Outcome outcome = status.signum() == 0 ? TxStatus.Outcome.EXECUTION_REVERTED : TxStatus.Outcome.CONFIRMED;
    return Optional.of(new TxStatus(
        outcome,
        Quantities.fromNode(receipt.get("blockNumber"), "receipt block number").longValueExact(),
        Quantities.fromNode(receipt.get("gasUsed"), "receipt gas used"),
        Quantities.fromNode(receipt.get("effectiveGasPrice"), "receipt effective gas price")));
  }
}
