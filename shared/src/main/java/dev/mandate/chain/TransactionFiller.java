package dev.mandate.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.Locale;
import java.util.Optional;

/**
 * Completes an {@code eth_sendTransaction} transaction from the chain's state, so the enclave can
 * sign it: chain id, nonce, type, fees and gas limit, each only when absent.
 *
 * <p>Input is Privy's snake_case transaction JSON (the camelCase spellings the enclave tolerates
 * count as present too). Quantities may be hex strings, JSON integers or decimal strings. Fields
 * that are present are kept verbatim; filled ones are written as {@code 0x} hex strings:
 * <ul>
 *   <li>{@code chain_id}: the chain's id;
 *   <li>{@code nonce}: {@code eth_getTransactionCount(from, "pending")};
 *   <li>{@code type}: 0 when {@code gas_price} is given or the latest block has no
 *       {@code baseFeePerGas}, 2 otherwise (2 also when 1559 fees are given, 4 with an
 *       authorization list);
 *   <li>fees for types 2 and 4: {@code max_priority_fee_per_gas} from
 *       {@code eth_maxPriorityFeePerGas} (1 gwei where unsupported), {@code max_fee_per_gas} = 2 ×
 *       latest base fee + priority fee; for types 0 and 1: {@code gas_price} from {@code eth_gasPrice};
 *   <li>{@code gas_limit}: {@code eth_estimateGas} + 20 % (rounded up), except exactly 21000 for
 *       a plain transfer the node estimates at 21000.
 * </ul>
 */
public final class TransactionFiller {
  static final BigInteger FALLBACK_PRIORITY_FEE = BigInteger.valueOf(1_000_000_000L);
  static final BigInteger TRANSFER_GAS = BigInteger.valueOf(21_000);
  private static final String PATH = "params.transaction.";

  private final ObjectNode tx;
  private final ObjectNode out;
  private final String from;
  private final long chainId;
  private final JsonRpcClient rpc;
  private Optional<Optional<BigInteger>> latestBaseFee = Optional.empty();

  private TransactionFiller(final ObjectNode tx, final String from, final long chainId, final JsonRpcClient rpc) {
    this.tx = tx;
    this.out = tx.deepCopy();
    this.from = from;
    this.chainId = chainId;
    this.rpc = rpc;
  }

  /**
   * Returns a copy of {@code tx} with every absent field filled; {@code tx} is not modified.
   *
   * @param fromAddress the sending wallet's address
   * @throws InsufficientFundsException when gas estimation says the sender cannot pay
   * @throws GasEstimationFailedException when gas estimation fails otherwise (e.g. the call reverts)
   * @throws InvalidTransactionException when a field the filler reads is malformed
   * @throws JsonRpcException when the node refuses another query
   * @throws ChainUnavailableException when the node cannot be reached
   */
  public static ObjectNode fill(final ObjectNode tx, final String fromAddress, final long chainId, final JsonRpcClient rpc) {
    return new TransactionFiller(tx, fromAddress, chainId, rpc).run();
  }

  private ObjectNode run() {
    if (given("chain_id", "chainId").isEmpty()) {
      put("chain_id", "chainId", BigInteger.valueOf(chainId));
    }
    if (given("nonce", "nonce").isEmpty()) {
      put("nonce", "nonce", Quantities.fromNode(rpc.call("eth_getTransactionCount", from, "pending"), "nonce"));
    }
    final int type = type();
    if (type == 0 || type == 1) {
      fillGasPrice();
    } else {
      fillFeeMarket();
    }
    if (given("gas_limit", "gasLimit").isEmpty()) {
      put("gas_limit", "gasLimit", gasLimit());
    }
    return out;
  }

  private int type() {
    final Optional<JsonNode> explicit = given("type", "type");
    if (explicit.isPresent()) {
      return Quantities.read(explicit.get(), PATH + "type").intValue();
    }
    final int type = inferType();
    put("type", "type", BigInteger.valueOf(type));
    return type;
  }

  private int inferType() {
    if (given("gas_price", "gasPrice").isPresent()) {
      return 0;
    }
    if (given("authorization_list", "authorizationList").isPresent()) {
      return 4;
    }
    if (given("max_fee_per_gas", "maxFeePerGas").isPresent()
        || given("max_priority_fee_per_gas", "maxPriorityFeePerGas").isPresent()) {
      return 2;
    }
    if (baseFee().isPresent()) {
      return 2;
    }
    return given("access_list", "accessList").isPresent() ? 1 : 0;
  }

  private void fillGasPrice() {
    if (given("gas_price", "gasPrice").isEmpty()) {
      put("gas_price", "gasPrice", Quantities.fromNode(rpc.call("eth_gasPrice"), "gas price"));
    }
  }

  private void fillFeeMarket() {
    final Optional<BigInteger> maxFee = quantity("max_fee_per_gas", "maxFeePerGas");
    final Optional<BigInteger> priority = quantity("max_priority_fee_per_gas", "maxPriorityFeePerGas");
    final BigInteger tip = priority.orElseGet(this::priorityFee);
    if (maxFee.isEmpty()) {
      final BigInteger base = baseFee().orElseGet(() -> Quantities.fromNode(rpc.call("eth_gasPrice"), "gas price"));
      put("max_fee_per_gas", "maxFeePerGas", base.shiftLeft(1).add(tip));
    }
    if (priority.isEmpty()) {
      // A suggested tip above the caller's own fee cap would make the node refuse the transaction.
      put("max_priority_fee_per_gas", "maxPriorityFeePerGas", maxFee.map(tip::min).orElse(tip));
    }
  }

  private BigInteger priorityFee() {
    try {
      return Quantities.fromNode(rpc.call("eth_maxPriorityFeePerGas"), "priority fee");
    } catch (JsonRpcException e) {
      return FALLBACK_PRIORITY_FEE;
    }
  }

  /** The latest block's {@code baseFeePerGas}, fetched once; empty before London. */
  private Optional<BigInteger> baseFee() {
    if (latestBaseFee.isEmpty()) {
      final JsonNode block = rpc.call("eth_getBlockByNumber", "latest", false);
      final JsonNode fee = block.path("baseFeePerGas");
      latestBaseFee = Optional.of(fee.isTextual()
          ? Optional.of(Quantities.fromNode(fee, "base fee")) : Optional.empty());
    }
    return latestBaseFee.get();
  }

  private BigInteger gasLimit() {
    final BigInteger estimate = estimateGas();
    if (estimate.equals(TRANSFER_GAS) && hasNoData()) {
      return TRANSFER_GAS;
    }
    return estimate.multiply(BigInteger.valueOf(12)).add(BigInteger.valueOf(9)).divide(BigInteger.TEN);
  }

  private BigInteger estimateGas() {
    final ObjectNode call = JsonNodeFactory.instance.objectNode();
    call.put("from", from);
    given("to", "to").ifPresent(to -> call.set("to", to));
    quantity("value", "value").ifPresent(value -> call.put("value", Quantities.hex(value)));
    data().ifPresent(data -> call.put("data", data));
    try {
      return Quantities.fromNode(rpc.call("eth_estimateGas", call), "gas estimate");
    } catch (JsonRpcException e) {
      if (isInsufficientFunds(e.getMessage())) {
        throw new InsufficientFundsException(e.getMessage(), e);
      }
      throw new GasEstimationFailedException(e);
    }
  }

  private Optional<String> data() {
    return given("data", "data").map(node -> {
      if (!node.isTextual()) {
        throw new InvalidTransactionException(PATH + "data must be a hex string");
      }
      return node.textValue();
    });
  }

  private boolean hasNoData() {
    return data().map(d -> d.isEmpty() || d.equalsIgnoreCase("0x")).orElse(true);
  }

  /** Geth, Erigon, Reth: "insufficient funds"; Nethermind: "InsufficientFunds"; Hardhat: "doesn't have enough funds"; Besu: "upfront cost exceeds". */
  static boolean isInsufficientFunds(final String nodeMessage) {
    if (nodeMessage == null) {
      return false;
    }
    final String message = nodeMessage.toLowerCase(Locale.ROOT);
    return message.contains("insufficient funds") || message.contains("insufficientfunds")
        || message.contains("enough funds") || message.contains("upfront cost exceeds");
  }

  /** A present, non-null field under its snake_case or camelCase name. */
  private Optional<JsonNode> given(final String snake, final String camel) {
    return Optional.ofNullable(tx.get(snake)).or(() -> Optional.ofNullable(tx.get(camel)))
        .filter(node -> !node.isNull());
  }

  private Optional<BigInteger> quantity(final String snake, final String camel) {
    return given(snake, camel).map(node -> Quantities.read(node, PATH + snake));
  }

  /** Writes a filled field under its snake_case name, dropping null placeholders of either spelling. */
  private void put(final String snake, final String camel, final BigInteger value) {
    out.remove(camel);
    out.put(snake, Quantities.hex(value));
  }
}
