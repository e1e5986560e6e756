package dev.mandate.enclave.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * Reads a condition's field out of Privy's RPC body ({@code {method, params, caip2?}}). Anything
 * absent, of the wrong shape or unparsable reads as empty, and the condition then does not hold;
 * the signer refuses such malformed requests on its own, so a DENY rule cannot be dodged by
 * sending something the engine fails to read but the signer would sign.
 */
final class FieldReader {
  private FieldReader() {}

  static Optional<FieldValue> read(
      final FieldSource source,
      final String field,
      final Optional<AbiDecoder> abi,
      final Optional<TypedDataSchema> typedData,
      final String method,
      final JsonNode body,
      final EvaluationContext ctx) {
    if (!source.appliesTo(method)) {
      return Optional.empty();
    }
    final JsonNode request = body == null ? MissingNode.getInstance() : body;
    final JsonNode params = request.path("params");
    return switch (source) {
      case ETHEREUM_TRANSACTION -> object(params.path("transaction")).flatMap(tx -> transaction(tx, field, request));
      case ETHEREUM_CALLDATA -> object(params.path("transaction")).flatMap(tx -> calldata(tx, field, abi.orElseThrow()));
      case ETHEREUM_TYPED_DATA_DOMAIN -> object(params.path("typed_data")).flatMap(td -> domain(td.path("domain"), field));
      case ETHEREUM_TYPED_DATA_MESSAGE -> object(params.path("typed_data"))
          .flatMap(td -> FieldPath.segments(field).flatMap(path -> typedData.orElseThrow().read(td, path)));
      case ETHEREUM_7702_AUTHORIZATION -> address(params.path("contract"));
      // Solana sources are read per instruction from the parsed message (dev.mandate.enclave.solana).
      case SOLANA_PROGRAM_INSTRUCTION, SOLANA_SYSTEM_PROGRAM_INSTRUCTION, SOLANA_TOKEN_PROGRAM_INSTRUCTION,
          SOLANA_TRANSACTION -> Optional.empty();
      case SYSTEM -> Optional.of(FieldValue.number(BigInteger.valueOf(ctx.now().getEpochSecond())));
      case REFERENCE -> ctx.aggregationValue(field.substring(PolicyParser.AGGREGATION_PREFIX.length()))
          .map(FieldValue::number);
    };
  }

  private static Optional<FieldValue> transaction(final JsonNode tx, final String field, final JsonNode body) {
    return switch (field) {
      case "to" -> address(tx.path("to"));
      // Observed on Privy: a transaction without value is compared as value 0.
      case "value" -> present(tx.path("value")) ? Numbers.of(tx.get("value")).map(FieldValue::number)
          : Optional.of(FieldValue.number(BigInteger.ZERO));
      case "chain_id" -> chainId(tx, body).map(FieldValue::number);
      default -> Optional.empty();
    };
  }

  /** The transaction's own chain id (either spelling), else {@code caip2: "eip155:<id>"}. */
  static Optional<BigInteger> chainId(final JsonNode tx, final JsonNode body) {
    final JsonNode own = present(tx.path("chain_id")) ? tx.get("chain_id") : tx.path("chainId");
    if (present(own)) {
      return Numbers.of(own);
    }
    final JsonNode caip2 = body.path("caip2");
    if (caip2.isTextual() && caip2.textValue().startsWith("eip155:")) {
      final String digits = caip2.textValue().substring("eip155:".length());
      return digits.startsWith("0x") ? Optional.empty() : Numbers.parse(digits);
    }
    return Optional.empty();
  }

  private static Optional<FieldValue> calldata(final JsonNode tx, final String field, final AbiDecoder abi) {
    final JsonNode data = present(tx.path("data")) ? tx.get("data") : tx.path("input");
    final Optional<byte[]> bytes = data.isTextual() ? Numbers.hexBytes(data.textValue()) : Optional.empty();
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    if (PolicyParser.FUNCTION_NAME.equals(field)) {
      // Only the selector has to match: a DENY on a function name must fire even if its arguments are junk.
      return abi.function(bytes.get()).map(f -> new FieldValue(FieldValue.Kind.TEXT, f.name()));
    }
    final int dot = field.indexOf('.');
    if (dot < 0) {
      return Optional.empty();
    }
    final String function = field.substring(0, dot);
    final Optional<List<String>> path = FieldPath.segments(field.substring(dot + 1));
    return abi.decode(bytes.get())
        .filter(call -> call.function().name().equals(function))
        .flatMap(call -> path.flatMap(call::find));
  }

  private static Optional<FieldValue> domain(final JsonNode domain, final String field) {
    return switch (field) {
      case "chainId", "chain_id" -> Numbers.of(either(domain, "chainId", "chain_id")).map(FieldValue::number);
      case "verifyingContract", "verifying_contract" -> address(either(domain, "verifyingContract", "verifying_contract"));
      default -> Optional.empty();
    };
  }

  private static JsonNode either(final JsonNode object, final String first, final String second) {
    return present(object.path(first)) ? object.get(first) : object.path(second);
  }

  private static Optional<FieldValue> address(final JsonNode node) {
    return node.isTextual() ? Optional.of(new FieldValue(FieldValue.Kind.ADDRESS, node.textValue())) : Optional.empty();
  }

  private static Optional<JsonNode> object(final JsonNode node) {
    return node.isObject() ? Optional.of(node) : Optional.empty();
  }

  private static boolean present(final JsonNode node) {
    return !node.isMissingNode() && !node.isNull();
  }
}
