package dev.mandate.enclave.policy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One condition of a rule: {@code {field_source, field, operator, value, abi?, typed_data?}}.
 * Build it with {@link PolicyParser#parseCondition}, which validates it.
 *
 * @param fieldSource where the field is read
 * @param field which field
 * @param operator how it compares
 * @param values the value: one string, or for {@code in} the list, or for {@code
 *     in_condition_set} the set id; JSON numbers in the input become decimal strings
 * @param abi for {@code ethereum_calldata}
 * @param typedData for {@code ethereum_typed_data_message}
 */
public record Condition(
    FieldSource fieldSource,
    String field,
    Operator operator,
    List<String> values,
    Optional<AbiDecoder> abi,
    Optional<TypedDataSchema> typedData) {
  public Condition {
    Objects.requireNonNull(fieldSource, "fieldSource");
    Objects.requireNonNull(field, "field");
    Objects.requireNonNull(operator, "operator");
    values = List.copyOf(values);
    Objects.requireNonNull(abi, "abi");
    Objects.requireNonNull(typedData, "typedData");
    // The engine relies on these; PolicyParser guarantees them for parsed conditions.
    if (operator != Operator.IN && values.size() != 1) {
      throw new IllegalArgumentException(operator.wire() + " takes exactly one value");
    }
    if (abi.isPresent() != (fieldSource == FieldSource.ETHEREUM_CALLDATA)) {
      throw new IllegalArgumentException("abi goes with ethereum_calldata, and only with it");
    }
    if (typedData.isPresent() != (fieldSource == FieldSource.ETHEREUM_TYPED_DATA_MESSAGE)) {
      throw new IllegalArgumentException("typed_data goes with ethereum_typed_data_message, and only with it");
    }
    if (fieldSource == FieldSource.REFERENCE && !field.startsWith(PolicyParser.AGGREGATION_PREFIX)) {
      throw new IllegalArgumentException("a reference field is aggregation.<id>");
    }
  }

  /**
   * Whether the condition holds for a request: false when the method does not carry the field
   * source or the signed object does not have the field; unknown when the signed object leaves the
   * field open ({@link FieldReader}) or a condition set is missing.
   */
  Truth holds(final PolicyInput input, final EvaluationContext ctx) {
    final Reading reading = FieldReader.read(fieldSource, field, abi, typedData, input, ctx);
    if (reading.unreadable()) {
      return Truth.UNKNOWN;
    }
    if (reading.value().isEmpty()) {
      return Truth.FALSE;
    }
    final Optional<List<String>> against = operator == Operator.IN_CONDITION_SET
        ? ctx.conditionSetValues(values.get(0))
        : Optional.of(values);
    final FieldValue value = reading.value().get();
    if (operator == Operator.IN_CONDITION_SET && against.isPresent()
        && !against.get().stream().allMatch(item -> comparable(value, item))) {
      // Condition sets are untyped: an item this field can never equal (an address without 0x, a
      // misspelt Solana address) does not say what it was meant to, and must not make a DENY silently
      // never fire. Unknown: a DENY refuses, an ALLOW does not allow.
      return Truth.UNKNOWN;
    }
    return against.map(v -> Truth.of(value.satisfies(operator, v))).orElse(Truth.UNKNOWN);
  }

  private boolean comparable(final FieldValue value, final String item) {
    if (!FieldValue.wellFormed(value.kind(), item)) {
      return false;
    }
    return !Policy.isSolanaAddressField(fieldSource, field) || dev.mandate.enclave.solana.Base58.decodePublicKey(item).isPresent();
  }

  /** Privy's condition object; {@code value} is an array exactly for {@code in}. */
  public ObjectNode toJson() {
    final ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("field_source", fieldSource.wire());
    out.put("field", field);
    out.put("operator", operator.wire());
    if (operator == Operator.IN) {
      final ArrayNode array = out.putArray("value");
      values.forEach(array::add);
    } else {
      out.put("value", values.get(0));
    }
    abi.ifPresent(a -> out.set("abi", a.json()));
    typedData.ifPresent(t -> out.set("typed_data", t.toJson()));
    return out;
  }
}
