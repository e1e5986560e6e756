package dev.mandate.chain;

import java.math.BigInteger;

/**
 * A mined transaction's outcome, from its receipt.
 *
 * @param outcome whether it executed ({@code status 0x1}) or reverted ({@code 0x0})
 * @param blockNumber the block it was mined in
 * @param gasUsed gas it consumed
 * @param effectiveGasPrice wei paid per gas (base fee + tip actually charged)
 */
public record TxStatus(Outcome outcome, long blockNumber, BigInteger gasUsed, BigInteger effectiveGasPrice) {

  /** What a receipt says happened. */
  public enum Outcome {
    CONFIRMED("confirmed"),
    EXECUTION_REVERTED("execution_reverted");

    private final String privyStatus;

    Outcome(final String privyStatus) {
      this.privyStatus = privyStatus;
    }

    /** The Privy transaction {@code status}: {@code confirmed} or {@code execution_reverted}. */
    public String privyStatus() {
      return privyStatus;
    }
  }

  /** Wei the sender paid for gas: {@code gasUsed × effectiveGasPrice}. */
  public BigInteger fee() {
    return gasUsed.multiply(effectiveGasPrice);
  }
}
