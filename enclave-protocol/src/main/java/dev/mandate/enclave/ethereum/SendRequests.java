package dev.mandate.enclave.ethereum;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.enclave.InvalidRequestException;
import dev.mandate.enclave.records.Docs;
import java.math.BigInteger;
import java.util.List;

/**
 * Checks the caller's own {@code eth_sendTransaction} request before anything is filled in, with the
 * same parser that later reads the filled transaction: every field the caller set must be what an
 * {@code eth_signTransaction} accepts, and a {@code chain_id} must be {@code caip2}'s. What the caller
 * left out (or sent as {@code null}) — nonce, gas limit, fees — is taken as "fill it in": placeholders
 * stand in for it here only to let the parser judge the rest.
 *
 * <p>So a malformed request is a 400 naming the field, both in the host (before it asks the chain for
 * anything) and in the enclave (which decides). Once the caller's fields are valid, a filled
 * transaction that differs from them can only be the host's doing, and that alone is an integrity
 * refusal.
 */
public final class SendRequests {
  private static final List<String[]> FILLED = List.of(
      new String[] {"nonce", "nonce"}, new String[] {"gas_limit", "gasLimit"});

  private SendRequests() {}

  /**
   * @param body the whole request body: {@code {method, caip2, params: {transaction}}}
   * @return the chain id {@code caip2} names
   * @throws InvalidRequestException naming what is wrong
   */
  public static long validate(final JsonNode body) {
    if (!body.isObject()) {
      throw new InvalidRequestException("The request body must be a JSON object.");
    }
    final long chainId = chainId(requiredText(body, "caip2"));
    final JsonNode params = body.path("params");
    if (!params.isObject() || !params.path("transaction").isObject()) {
      throw new InvalidRequestException("params.transaction is required and must be an object.");
    }
    final ObjectNode probe = Docs.object().put("method", "eth_signTransaction").put("caip2", body.get("caip2").asText());
    probe.putObject("params").set("transaction", withPlaceholders((ObjectNode) params.get("transaction")));
    SigningRequest.parseRpc("eth_signTransaction", probe);
    return chainId;
  }

  /** The chain id of an {@code eip155:<id>} CAIP-2 name. */
  public static long chainId(final String caip2) {
    if (!caip2.startsWith("eip155:")) {
      throw new InvalidRequestException("caip2 must be an EVM chain, eip155:<chain id>.");
    }
    try {
      final long id = Long.parseLong(caip2.substring("eip155:".length()));
      if (id <= 0) {
        throw new NumberFormatException();
      }
      return id;
    } catch (NumberFormatException e) {
      throw new InvalidRequestException("caip2 must be eip155:<positive chain id>.");
    }
  }

  private static String requiredText(final JsonNode body, final String field) {
    final JsonNode v = body.get(field);
    if (v == null || !v.isTextual() || v.asText().isEmpty()) {
      throw new InvalidRequestException(field + " is required and must be a non-empty string.");
    }
    return v.asText();
  }

  private static ObjectNode withPlaceholders(final ObjectNode asked) {
    final ObjectNode tx = asked.deepCopy();
    for (final String[] name : FILLED) {
      placeholder(tx, name[0], name[1], BigInteger.ONE);
    }
    final boolean legacyFees = given(tx, "gas_price", "gasPrice");
    final boolean marketFees = given(tx, "max_fee_per_gas", "maxFeePerGas")
        || given(tx, "max_priority_fee_per_gas", "maxPriorityFeePerGas");
    final int type = explicitType(tx).orElse(legacyFees ? 0 : 2);
    if (type == 0 || type == 1) {
      placeholder(tx, "gas_price", "gasPrice", BigInteger.ONE);
    } else if (!legacyFees || marketFees) {
      placeholder(tx, "max_fee_per_gas", "maxFeePerGas", BigInteger.ONE);
      placeholder(tx, "max_priority_fee_per_gas", "maxPriorityFeePerGas", BigInteger.ONE);
    }
    return tx;
  }

  /** The type the caller set, if it reads as a small number (otherwise the parser reports it). */
  private static java.util.OptionalInt explicitType(final JsonNode tx) {
    final JsonNode type = tx.get("type");
    if (type == null || type.isNull()) {
      return java.util.OptionalInt.empty();
    }
    if (type.canConvertToInt()) {
      return java.util.OptionalInt.of(type.intValue());
    }
    final String text = type.asText();
    try {
      return java.util.OptionalInt.of(text.startsWith("0x") ? Integer.parseInt(text.substring(2), 16) : Integer.parseInt(text));
    } catch (NumberFormatException e) {
      return java.util.OptionalInt.empty();
    }
  }

  private static boolean given(final JsonNode tx, final String snake, final String camel) {
    return (tx.hasNonNull(snake)) || (tx.hasNonNull(camel));
  }

  private static void placeholder(final ObjectNode tx, final String snake, final String camel, final BigInteger value) {
    if (!given(tx, snake, camel)) {
      tx.remove(camel);
      tx.put(snake, "0x" + value.toString(16));
    }
  }
}
