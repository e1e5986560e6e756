package dev.mandate.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * {@code eth_estimateGas} failed for a reason other than funds, typically because the call
 * reverts ({@code execution reverted}); {@link #revertData()} carries the node's error data. Give
 * an explicit {@code gas_limit} to send such a transaction anyway.
 */
public final class GasEstimationFailedException extends ChainException {
  private static final long serialVersionUID = 1L;
  private final transient Optional<JsonNode> revertData;

  public GasEstimationFailedException(final JsonRpcException cause) {
    super(cause.getMessage(), cause);
    this.revertData = cause.data();
  }

  public Optional<JsonNode> revertData() {
    return revertData;
  }
}
