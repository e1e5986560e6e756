/**
 * The chain-facing side of {@code eth_sendTransaction}: JSON-RPC to Ethereum nodes
 * ({@link dev.mandate.chain.JsonRpcClient}, configured per chain by {@link dev.mandate.chain.Chains}),
 * filling nonce, fees and gas ({@link dev.mandate.chain.TransactionFiller}), broadcasting signed
 * transactions ({@link dev.mandate.chain.Broadcaster}) and reading their outcome
 * ({@link dev.mandate.chain.Receipts}).
 *
 * <p>Every failure is an unchecked {@link dev.mandate.chain.ChainException}, one type per case a
 * caller handles differently. Nothing here logs, and messages never carry RPC URLs, parameters or
 * raw transactions.
 */
package dev.mandate.chain;
