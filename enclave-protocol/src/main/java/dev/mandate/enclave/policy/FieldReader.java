package dev.mandate.enclave.policy;

import dev.mandate.enclave.ethereum.AuthorizationRequest;
import dev.mandate.enclave.ethereum.EthAddress;
import dev.mandate.enclave.ethereum.TransactionFields;
import dev.mandate.enclave.ethereum.TypedData;
import java.math.BigInteger;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Reads a condition's field out of the parsed request ({@link PolicyInput}), never out of its JSON:
 * the value a condition compares is the value that is signed. A source the method does not carry,
 * or a field the signed object does not have (no {@code to} in a contract creation), reads as
 * absent; a field the signed object leaves open (a pre-EIP-155 transaction's chain, a domain member
 * {@code EIP712Domain} does not declare, arguments that do not decode against the ABI, a typed-data
 * struct declared differently from the condition's schema) reads as unreadable, which the engine
 * treats as unknown and fails closed on.
 */
final class FieldReader {
  private FieldReader() {}

  static Reading read(
      final FieldSource source,
      final String field,
      final Optional<AbiDecoder> abi,
      final Optional<TypedDataSchema> typedData,
      final PolicyInput input,
      final EvaluationContext ctx) {
    if (source.hiddenIn(input.method())) {
      // Unknown, so a DENY on it refuses (a "*" DENY on value must not go silent on raw_sign of a transfer).
      return Reading.UNREADABLE;
    }
    if (!source.appliesTo(input.method())) {
      return Reading.ABSENT;
    }
    return switch (source) {
      case ETHEREUM_TRANSACTION -> input.transaction().map(tx -> transaction(tx, field)).orElse(Reading.UNREADABLE);
      case ETHEREUM_CALLDATA -> input.transaction().map(tx -> calldata(tx.data(), field, abi.orElseThrow()))
          .orElse(Reading.UNREADABLE);
      case ETHEREUM_TYPED_DATA_DOMAIN -> input.typedData().map(td -> domain(td, field)).orElse(Reading.UNREADABLE);
      case ETHEREUM_TYPED_DATA_MESSAGE -> input.typedData()
          .map(td -> FieldPath.segments(field).map(path -> typedData.orElseThrow().read(td, path))
              .orElse(Reading.UNREADABLE))
          .orElse(Reading.UNREADABLE);
      case ETHEREUM_7702_AUTHORIZATION -> input.authorization().map(a -> authorization(a, field))
          .orElse(Reading.UNREADABLE);
      // Solana sources are read per instruction from the parsed message (dev.mandate.enclave.solana).
      case SOLANA_PROGRAM_INSTRUCTION, SOLANA_SYSTEM_PROGRAM_INSTRUCTION, SOLANA_TOKEN_PROGRAM_INSTRUCTION,
          SOLANA_TRANSACTION -> Reading.ABSENT;
      case SYSTEM -> Reading.of(FieldValue.number(BigInteger.valueOf(ctx.now().getEpochSecond())));
      case REFERENCE -> Reading.orUnreadable(ctx.aggregationValue(field.substring(PolicyParser.AGGREGATION_PREFIX.length()))
          .map(FieldValue::number));
    };
  }

  /** The {@code ethereum_transaction} fields (see {@link PolicyParser}). */
  private static Reading transaction(final TransactionFields tx, final String field) {
    return switch (field) {
      case "to" -> Reading.orAbsent(tx.to().map(FieldReader::address));
      // Observed on Privy: a transaction without value is compared as value 0 (and signed as 0).
      case "value" -> Reading.of(FieldValue.number(tx.value()));
      case "chain_id" -> number(tx.chainId());
      case "nonce" -> number(tx.nonce());
      case "gas_limit" -> number(tx.gasLimit());
      case "gas_price" -> number(tx.gasPrice());
      case "max_fee_per_gas" -> number(tx.maxFeePerGas());
      case "max_priority_fee_per_gas" -> number(tx.maxPriorityFeePerGas());
      case PolicyParser.MAX_FEE -> number(tx.maxFee());
      case PolicyParser.VALUE_PLUS_MAX_FEE -> number(tx.valuePlusMaxFee());
      default -> Reading.UNREADABLE;
    };
  }

  private static Reading calldata(final byte[] data, final String field, final AbiDecoder abi) {
    final Optional<AbiDecoder.Function> function = abi.function(data);
    if (PolicyParser.FUNCTION_NAME.equals(field)) {
      // Only the selector has to match: a DENY on a function name must fire even if its arguments are junk.
      return Reading.orAbsent(function.map(f -> new FieldValue(FieldValue.Kind.TEXT, f.name())));
    }
    final int dot = field.indexOf('.');
    final String name = dot < 0 ? field : field.substring(0, dot);
    if (function.isEmpty() || !function.get().name().equals(name)) {
      return Reading.ABSENT; // a call of another function (or none): its parameters are not this one's
    }
    final Optional<List<String>> path = dot < 0 ? Optional.empty() : FieldPath.segments(field.substring(dot + 1));
    return Reading.orUnreadable(abi.decode(data).flatMap(call -> path.flatMap(call::find)));
  }

  private static Reading domain(final TypedData typedData, final String field) {
    return switch (field) {
      case "chainId", "chain_id" -> number(typedData.domainChainId());
      case "verifyingContract", "verifying_contract" -> Reading.orUnreadable(typedData.verifyingContract().map(FieldReader::address));
      default -> Reading.UNREADABLE;
    };
  }

  private static Reading authorization(final AuthorizationRequest authorization, final String field) {
    return switch (field) {
      case "contract" -> Reading.of(address(authorization.contract()));
      // Chain id 0 authorizes the delegation on every chain: no chain condition can be decided on it.
      case "chain_id" -> authorization.chainId().signum() == 0 ? Reading.UNREADABLE
          : Reading.of(FieldValue.number(authorization.chainId()));
      case "nonce" -> Reading.of(FieldValue.number(authorization.nonce()));
      default -> Reading.UNREADABLE;
    };
  }

  /** A typed-data scalar as the digest encodes it. */
  static FieldValue scalar(final TypedData.Scalar scalar) {
    return switch (scalar.value()) {
      case BigInteger n -> FieldValue.number(n);
      case EthAddress a -> address(a);
      case Boolean b -> new FieldValue(FieldValue.Kind.BOOL, b.toString());
      case byte[] bytes -> new FieldValue(FieldValue.Kind.BYTES, "0x" + HexFormat.of().formatHex(bytes));
      default -> new FieldValue(FieldValue.Kind.TEXT, scalar.value().toString());
    };
  }

  private static Reading number(final Optional<BigInteger> value) {
    return Reading.orUnreadable(value.map(FieldValue::number));
  }

  private static FieldValue address(final EthAddress address) {
    return new FieldValue(FieldValue.Kind.ADDRESS, address.toLowerHex());
  }
}
