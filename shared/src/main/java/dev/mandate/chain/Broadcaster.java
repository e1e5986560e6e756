package dev.mandate.chain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mandate.enclave.ethereum.Hex;
import dev.mandate.enclave.ethereum.Keccak;
import java.util.Locale;

/**
 * Sends signed transactions with {@code eth_sendRawTransaction} and sorts the node's refusals into
 * the failures a caller handles differently. The raw transaction is never put in a message.
 */
public final class Broadcaster {
  private Broadcaster() {}

  /**
   * Broadcasts {@code signedRawTxHex} ({@code 0x}-prefixed RLP, as the enclave signs it).
   *
   * @return the transaction hash
   * @throws InsufficientFundsException the sender cannot pay value plus gas
   * @throws NonceConflictException the nonce is taken; {@link NonceConflictException#alreadyKnown()}
   *     when by this very transaction
   * @throws BroadcastFailedException any other refusal
   * @throws ChainUnavailableException the node could not be reached (the transaction may or may
   *     not have arrived: sending it again is safe)
   */
  public static String send(final String signedRawTxHex, final JsonRpcClient rpc) {
    final String hash = transactionHash(signedRawTxHex);
    try {
      final JsonNode result = rpc.call("eth_sendRawTransaction", signedRawTxHex);
      return result.isTextual() ? result.textValue() : hash;
    } catch (JsonRpcException e) {
      throw classify(e, hash, rpc);
    }
  }

  /**
   * Like {@link #send} but idempotent: a transaction the node already has (pending or mined)
   * counts as sent, so a retry after a time-out or a crash returns the same hash.
   */
  public static String sendIdempotently(final String signedRawTxHex, final JsonRpcClient rpc) {
    try {
      return send(signedRawTxHex, rpc);
    } catch (NonceConflictException e) {
      if (e.alreadyKnown()) {
        return e.transactionHash();
      }
      throw e;
    }
  }

  /** The hash of a signed transaction: Keccak-256 of its bytes (typed or legacy). */
  public static String transactionHash(final String signedRawTxHex) {
    final byte[] raw;
    try {
      raw = Hex.decode(signedRawTxHex);
    } catch (IllegalArgumentException e) {
      throw new InvalidTransactionException("signed transaction must be hex");
    }
    if (raw.length == 0) {
      throw new InvalidTransactionException("signed transaction is empty");
    }
    return Hex.encode(Keccak.keccak256(raw));
  }

  private static ChainException classify(final JsonRpcException e, final String hash, final JsonRpcClient rpc) {
    final String message = e.getMessage().toLowerCase(Locale.ROOT);
    if (TransactionFiller.isInsufficientFunds(message)) {
      return new InsufficientFundsException(e.getMessage(), e);
    }
    if (message.contains("already known") || message.contains("known transaction")
        || message.contains("already imported") || message.contains("already in the mempool")) {
      return new NonceConflictException(e.getMessage(), true, hash, e);
    }
    if (message.contains("nonce too low") || message.contains("nonce is too low")
        || message.contains("replacement transaction underpriced") || message.contains("nonce has already been used")
        || message.contains("already been mined")) {
      // A node says "nonce too low" also when this very transaction was mined already.
      return new NonceConflictException(e.getMessage(), isKnown(hash, rpc), hash, e);
    }
    return new BroadcastFailedException(e.getMessage(), e);
  }

  private static boolean isKnown(final String hash, final JsonRpcClient rpc) {
    try {
      return !rpc.call("eth_getTransactionByHash", hash).isNull();
    } catch (JsonRpcException | ChainUnavailableException e) {
      return false;
    }
  }
}
