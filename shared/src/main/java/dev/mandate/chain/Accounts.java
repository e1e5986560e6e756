package dev.mandate.chain;

import java.math.BigInteger;

/** Account state queries. */
public final class Accounts {
  private Accounts() {}

  /** Wei held by {@code address} at the latest block. */
  public static BigInteger balance(final String address, final JsonRpcClient rpc) {
    return Quantities.fromNode(rpc.call("eth_getBalance", address, "latest"), "balance");
  }

  /** Transactions sent from {@code address}, pending ones included: the next nonce to use. */
  /** How many of the account's transactions are mined: the next nonce a block will accept. */
  public static BigInteger minedNonce(final String address, final JsonRpcClient rpc) {
    return Quantities.fromNode(rpc.call("eth_getTransactionCount", address, "latest"), "nonce");
  }

  public static BigInteger pendingNonce(final String address, final JsonRpcClient rpc) {
    return Quantities.fromNode(rpc.call("eth_getTransactionCount", address, "pending"), "nonce");
  }
}
