package dev.mandate.enclave.ethereum;

import java.math.BigInteger;
import java.util.Optional;

/**
 * A transaction's fields as a policy reads them: of a parsed {@link TransactionRequest} (every field
 * set, exactly the values that are serialized and signed), or of a caller's unfilled
 * {@code eth_sendTransaction} (only what the caller set; a dry run judges that, nothing is signed).
 *
 * @param type 0, 1, 2 or 4; empty when an unfilled transaction leaves it to the host
 * @param chainId empty for a pre-EIP-155 legacy transaction (valid on every chain)
 * @param nonce the account nonce
 * @param gasLimit the gas limit
 * @param gasPrice types 0 and 1
 * @param maxFeePerGas types 2 and 4
 * @param maxPriorityFeePerGas types 2 and 4
 * @param to empty for contract creation
 * @param value wei sent, zero when not given
 * @param data call data (read through {@link #data()}, a copy)
 */
public record TransactionFields(
    Optional<Integer> type,
    Optional<BigInteger> chainId,
    Optional<BigInteger> nonce,
    Optional<BigInteger> gasLimit,
    Optional<BigInteger> gasPrice,
    Optional<BigInteger> maxFeePerGas,
    Optional<BigInteger> maxPriorityFeePerGas,
    Optional<EthAddress> to,
    BigInteger value,
    byte[] data) {

  public TransactionFields {
    data = data.clone();
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  /**
   * The most the transaction can pay in fees: {@code gas_limit × max_fee_per_gas} (types 2 and 4)
   * or {@code gas_limit × gas_price} (types 0 and 1); empty when the gas limit or the fee cap is not set.
   */
  public Optional<BigInteger> maxFee() {
    final Optional<BigInteger> perGas = maxFeePerGas.or(() -> gasPrice);
    return gasLimit.flatMap(limit -> perGas.map(limit::multiply));
  }

  /** {@code value + maxFee()}: the most wei the transaction can take from the account. */
  public Optional<BigInteger> valuePlusMaxFee() {
    return maxFee().map(value::add);
  }
}
