package dev.mandate.enclave.policy;

import static dev.mandate.enclave.policy.Validation.error;
import static dev.mandate.enclave.policy.Validation.item;
import static dev.mandate.enclave.policy.Validation.member;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mandate.enclave.InvalidRequestException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Parses and validates policy API input (privy-api.md §8): policy create and update, rule create
 * and update, conditions. Every problem is an {@link InvalidRequestException} with code {@code
 * invalid_policy_format} and a message like Privy's: {@code Validation error: Rule name must be
 * fewer than 50 characters at "rules[0].name"}. Unknown keys are refused rather than ignored,
 * since a misspelt key would silently loosen a rule.
 *
 * <p>Limits: names 1–{@value #MAX_NAME_CHARS} characters (Privy's OAS says 1–50; its message says
 * "fewer than 50", which we keep verbatim), at most {@value #MAX_RULES} rules per policy, {@value
 * #MAX_CONDITIONS} conditions per rule, {@value #MAX_IN_VALUES} values per {@code in}, {@value
 * #MAX_VALUE_CHARS} characters per value, and 32 KB per {@code abi} or {@code typed_data}.
 */
public final class PolicyParser {
  public static final int MAX_NAME_CHARS = 50;
  public static final int MAX_RULES = 100;
  public static final int MAX_CONDITIONS = 50;
  public static final int MAX_IN_VALUES = 100;
  public static final int MAX_VALUE_CHARS = 1024;
  private static final int MAX_FIELD_CHARS = 256;

  /**
   * Methods a rule may name. Mandate signs Ethereum only, so Privy's other chains' methods are
   * refused. {@code raw_sign} (Mandate's endpoint) and {@code signRawMessageBytes} (Privy's policy
   * name for it) are the same method.
   */
  public static final Set<String> METHODS = Set.of("*", "personal_sign", "eth_signTransaction",
      "eth_sendTransaction", "eth_signTypedData_v4", "eth_sign7702Authorization", "secp256k1_sign", "raw_sign",
      "signRawMessageBytes", "eth_signUserOperation", "wallet_sendCalls", "exportPrivateKey",
      "signMessage", "signTransaction", "signAndSendTransaction", "exportSeedPhrase");

  static final String FUNCTION_NAME = "function_name";
  static final String AGGREGATION_PREFIX = "aggregation.";
  /**
   * Mandate's {@code ethereum_transaction} fields beyond Privy's: the most the transaction can pay in
   * fees ({@code gas_limit × (max_fee_per_gas or gas_price)}), and that plus {@code value}: the most
   * wei it can take from the account (also an aggregation metric).
   */
  public static final String MAX_FEE = "max_fee";
  public static final String VALUE_PLUS_MAX_FEE = "value_plus_max_fee";
  private static final Pattern AGGREGATION_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private static final Set<String> POLICY_KEYS = Set.of("version", "name", "chain_type", "rules", "owner", "owner_id");
  private static final Set<String> PATCH_KEYS = Set.of("name", "rules", "owner", "owner_id");
  private static final Set<String> DOC_KEYS = Set.of("id", "version", "name", "chain_type", "rules", "owner_id", "created_at");
  // "id" is accepted and ignored, so a rule read back from the API can be sent again.
  private static final Set<String> RULE_KEYS = Set.of("id", "name", "method", "conditions", "action");
  private static final Set<String> CONDITION_KEYS = Set.of("field_source", "field", "operator", "value", "abi", "typed_data");

  private PolicyParser() {}

  /** A PATCH /v1/policies/{id} body: what it changes. */
  public record PolicyPatch(Optional<String> name, Optional<List<Rule>> rules) {}

  /**
   * POST /v1/policies: {@code {version, name, chain_type, rules, owner?, owner_id?}}. Owner fields
   * are checked by the caller and ignored here.
   *
   * @param ruleIds mints an id for each rule, in order
   */
  public static Policy parsePolicy(
      final JsonNode body, final String id, final long createdAt, final Optional<String> ownerId,
      final Supplier<String> ruleIds) {
    final JsonNode object = Validation.object(body, "");
    Validation.allowOnly(object, "", POLICY_KEYS);
    final String chainType = checkHeader(object);
    final String name = name(object, "", "Policy");
    final List<Rule> rules = rules(Validation.required(object, "rules", ""), "rules", r -> ruleIds.get());
    return new Policy(id, name, chainType, Policy.VERSION, ownerId, rules, createdAt);
  }

  /** PATCH /v1/policies/{id}: {@code {name?, rules?, owner?, owner_id?}}; rules replace all rules. */
  public static PolicyPatch parsePolicyPatch(final JsonNode body, final Supplier<String> ruleIds) {
    final JsonNode object = Validation.object(body, "");
    Validation.allowOnly(object, "", PATCH_KEYS);
    final Optional<String> name = Validation.optional(object, "name").map(n -> name(object, "", "Policy"));
    final Optional<List<Rule>> rules = Validation.optional(object, "rules").map(r -> rules(r, "rules", n -> ruleIds.get()));
    return new PolicyPatch(name, rules);
  }

  /** POST /v1/policies/{id}/rules: {@code {name, method, conditions, action}}. */
  public static Rule parseRule(final JsonNode body, final String ruleId) {
    return rule(body, "", ruleId);
  }

  /**
   * PATCH /v1/policies/{id}/rules/{rule_id}. Privy documents a full rule body; members left out
   * keep their current value, and {@code conditions}, when given, replace all conditions.
   */
  public static Rule parseRulePatch(final JsonNode body, final Rule existing) {
    final JsonNode object = Validation.object(body, "");
    Validation.allowOnly(object, "", RULE_KEYS);
    return new Rule(
        existing.id(),
        Validation.optional(object, "name").map(n -> name(object, "", "Rule")).orElse(existing.name()),
        Validation.optional(object, "method").map(m -> method(object, "")).orElse(existing.method()),
        Validation.optional(object, "conditions").map(c -> conditions(c, "conditions")).orElse(existing.conditions()),
        Validation.optional(object, "action").map(a -> action(object, "")).orElse(existing.action()));
  }

  /**
   * One condition, {@code {field_source, field, operator, value, abi?, typed_data?}}.
   *
   * @param path where it is in the request, for messages, e.g. {@code rules[0].conditions[1]}
   */
  public static Condition parseCondition(final JsonNode node, final String path) {
    final JsonNode object = Validation.object(node, path);
    Validation.allowOnly(object, path, CONDITION_KEYS);
    final FieldRef ref = fieldRef(object, path);
    final Operator operator = operator(object, path);
    if (operator.isOrdering() && ref.kind() != FieldValue.Kind.NUMBER) {
      throw error("Operator " + operator.wire() + " needs a numeric field", member(path, "operator"));
    }
    if (operator.isSubstring() && (ref.kind() == FieldValue.Kind.NUMBER || ref.kind() == FieldValue.Kind.BOOL)) {
      throw error("Operator " + operator.wire() + " needs a string, address or bytes field", member(path, "operator"));
    }
    final List<String> values =
        values(Validation.required(object, "value", path), operator, ref.kind(), member(path, "value"));
    return new Condition(ref.source(), ref.field(), operator, values, ref.abi(), ref.typedData());
  }

  /** A field as conditions, aggregation metrics and group-bys name it, with the kind it holds. */
  record FieldRef(
      FieldSource source, String field, Optional<AbiDecoder> abi, Optional<TypedDataSchema> typedData,
      FieldValue.Kind kind) {}

  /** Reads {@code field_source}, {@code field}, {@code abi?}, {@code typed_data?} of {@code object}. */
  static FieldRef fieldRef(final JsonNode object, final String path) {
    final FieldSource source = fieldSource(object, path);
    final String field = Validation.requiredText(object, "field", path);
    if (field.isEmpty() || field.length() > MAX_FIELD_CHARS) {
      throw error("String must contain between 1 and " + MAX_FIELD_CHARS + " character(s)", member(path, "field"));
    }
    final Optional<AbiDecoder> abi = abi(object, source, path);
    final Optional<TypedDataSchema> typedData = typedData(object, source, path);
    return new FieldRef(source, field, abi, typedData, fieldKind(source, field, abi, typedData, member(path, "field")));
  }

  /** Rule methods that name the same thing compare equal after this. */
  static String canonicalMethod(final String method) {
    return "signRawMessageBytes".equals(method) ? "raw_sign" : method;
  }

  // ---------------------------------------------------------------- storage

  static Policy policyFromDoc(final JsonNode doc) {
    final JsonNode object = Validation.object(doc, "");
    Validation.allowOnly(object, "", DOC_KEYS);
    final String chainType = checkHeader(object);
    final String id = Validation.requiredText(object, "id", "");
    final JsonNode created = Validation.required(object, "created_at", "");
    if (!created.canConvertToLong()) {
      throw error("Expected integer", "created_at");
    }
    final Optional<String> ownerId = Validation.optional(object, "owner_id").map(o -> Validation.text(o, "owner_id"));
    final List<Rule> rules = rules(Validation.required(object, "rules", ""), "rules",
        r -> Validation.requiredText(r, "id", "rules"));
    return new Policy(id, name(object, "", "Policy"), chainType, Policy.VERSION, ownerId, rules, created.longValue());
  }

  // ---------------------------------------------------------------- pieces

  private static String checkHeader(final JsonNode object) {
    if (!Policy.VERSION.equals(Validation.requiredText(object, "version", ""))) {
      throw error("Invalid literal value, expected \"1.0\"", "version");
    }
    final String chainType = Validation.requiredText(object, "chain_type", "");
    if (!Policy.CHAIN_TYPE.equals(chainType) && !Policy.SOLANA.equals(chainType)) {
      throw error("Invalid enum value. Expected 'ethereum' | 'solana', received '" + Validation.printable(chainType) + "'",
          "chain_type");
    }
    return chainType;
  }

  private static String name(final JsonNode object, final String path, final String what) {
    final String name = Validation.requiredText(object, "name", path);
    if (name.isEmpty()) {
      throw error(what + " name must be at least 1 character", member(path, "name"));
    }
    if (name.length() > MAX_NAME_CHARS) {
      throw error(what + " name must be fewer than " + MAX_NAME_CHARS + " characters", member(path, "name"));
    }
    return name;
  }

  private static List<Rule> rules(final JsonNode node, final String path, final Function<JsonNode, String> ids) {
    Validation.array(node, path);
    if (node.size() > MAX_RULES) {
      throw error("Array must contain at most " + MAX_RULES + " element(s)", path);
    }
    final List<Rule> rules = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      final Rule parsed = rule(node.get(i), item(path, i), "");
      rules.add(parsed.withId(ids.apply(node.get(i))));
    }
    return rules;
  }

  private static Rule rule(final JsonNode node, final String path, final String id) {
    final JsonNode object = Validation.object(node, path);
    Validation.allowOnly(object, path, RULE_KEYS);
    final String name = name(object, path, "Rule");
    final String method = method(object, path);
    final List<Condition> conditions = conditions(Validation.required(object, "conditions", path), member(path, "conditions"));
    return new Rule(id, name, method, conditions, action(object, path));
  }

  private static String method(final JsonNode object, final String path) {
    final String method = Validation.requiredText(object, "method", path);
    if (!METHODS.contains(method)) {
      throw error(invalidEnum(METHODS.stream().sorted().toList(), method), member(path, "method"));
    }
    return method;
  }

  private static Action action(final JsonNode object, final String path) {
    final String action = Validation.requiredText(object, "action", path);
    return Arrays.stream(Action.values()).filter(a -> a.name().equals(action)).findFirst()
        .orElseThrow(() -> error(invalidEnum(List.of("ALLOW", "DENY"), action), member(path, "action")));
  }

  private static List<Condition> conditions(final JsonNode node, final String path) {
    Validation.array(node, path);
    if (node.size() > MAX_CONDITIONS) {
      throw error("Array must contain at most " + MAX_CONDITIONS + " element(s)", path);
    }
    final List<Condition> conditions = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      conditions.add(parseCondition(node.get(i), item(path, i)));
    }
    return conditions;
  }

  private static FieldSource fieldSource(final JsonNode object, final String path) {
    final String source = Validation.requiredText(object, "field_source", path);
    return FieldSource.fromWire(source).orElseThrow(() -> error(
        invalidEnum(Arrays.stream(FieldSource.values()).map(FieldSource::wire).toList(), source),
        member(path, "field_source")));
  }

  private static Operator operator(final JsonNode object, final String path) {
    final String operator = Validation.requiredText(object, "operator", path);
    return Operator.fromWire(operator).orElseThrow(() -> error(
        invalidEnum(Arrays.stream(Operator.values()).map(Operator::wire).toList(), operator), member(path, "operator")));
  }

  private static Optional<AbiDecoder> abi(final JsonNode object, final FieldSource source, final String path) {
    final Optional<JsonNode> abi = Validation.optional(object, "abi");
    if (source != FieldSource.ETHEREUM_CALLDATA) {
      abi.ifPresent(a -> {
        throw error("abi is only used with field_source ethereum_calldata", member(path, "abi"));
      });
      return Optional.empty();
    }
    final JsonNode node = abi.orElseThrow(() -> error("Required", member(path, "abi")));
    try {
      return Optional.of(AbiDecoder.parse(node));
    } catch (IllegalArgumentException e) {
      throw error(e.getMessage(), member(path, "abi"));
    }
  }

  private static Optional<TypedDataSchema> typedData(final JsonNode object, final FieldSource source, final String path) {
    final Optional<JsonNode> typedData = Validation.optional(object, "typed_data");
    if (source != FieldSource.ETHEREUM_TYPED_DATA_MESSAGE) {
      typedData.ifPresent(t -> {
        throw error("typed_data is only used with field_source ethereum_typed_data_message", member(path, "typed_data"));
      });
      return Optional.empty();
    }
    final JsonNode node = typedData.orElseThrow(() -> error("Required", member(path, "typed_data")));
    Validation.allowOnly(Validation.object(node, member(path, "typed_data")), member(path, "typed_data"),
        Set.of("types", "primary_type"));
    try {
      return Optional.of(TypedDataSchema.parse(node));
    } catch (IllegalArgumentException e) {
      throw error(e.getMessage(), member(path, "typed_data"));
    }
  }

  /** What kind of value the field holds, refusing fields the source does not have. */
  private static FieldValue.Kind fieldKind(
      final FieldSource source, final String field, final Optional<AbiDecoder> abi,
      final Optional<TypedDataSchema> typedData, final String path) {
    final Optional<FieldValue.Kind> kind = switch (source) {
      case ETHEREUM_TRANSACTION -> switch (field) {
        case "to" -> Optional.of(FieldValue.Kind.ADDRESS);
        case "value", "chain_id", "nonce", "gas_limit", "gas_price", "max_fee_per_gas", "max_priority_fee_per_gas",
            MAX_FEE, VALUE_PLUS_MAX_FEE -> Optional.of(FieldValue.Kind.NUMBER);
        default -> Optional.empty();
      };
      case ETHEREUM_CALLDATA -> calldataKind(field, abi.orElseThrow(), path);
      case ETHEREUM_TYPED_DATA_DOMAIN -> switch (field) {
        case "chainId", "chain_id" -> Optional.of(FieldValue.Kind.NUMBER);
        case "verifyingContract", "verifying_contract" -> Optional.of(FieldValue.Kind.ADDRESS);
        default -> Optional.empty();
      };
      case ETHEREUM_TYPED_DATA_MESSAGE -> FieldPath.segments(field).flatMap(p -> typedData.orElseThrow().leafKind(p));
      case ETHEREUM_7702_AUTHORIZATION -> switch (field) {
        case "contract" -> Optional.of(FieldValue.Kind.ADDRESS);
        case "chain_id", "nonce" -> Optional.of(FieldValue.Kind.NUMBER);
        default -> Optional.empty();
      };
      case SOLANA_PROGRAM_INSTRUCTION -> field.equals("programId") ? Optional.of(FieldValue.Kind.TEXT) : Optional.empty();
      case SOLANA_TRANSACTION -> field.equals("feePayer") ? Optional.of(FieldValue.Kind.TEXT) : Optional.empty();
      case SOLANA_SYSTEM_PROGRAM_INSTRUCTION -> solanaKind(field, dev.mandate.enclave.solana.Programs.SYSTEM_FIELDS);
      case SOLANA_TOKEN_PROGRAM_INSTRUCTION -> solanaKind(field, dev.mandate.enclave.solana.Programs.TOKEN_FIELDS);
      case SYSTEM -> field.equals("current_unix_timestamp") ? Optional.of(FieldValue.Kind.NUMBER) : Optional.empty();
      case REFERENCE -> field.startsWith(AGGREGATION_PREFIX)
          && AGGREGATION_ID.matcher(field.substring(AGGREGATION_PREFIX.length())).matches()
          ? Optional.of(FieldValue.Kind.NUMBER) : Optional.empty();
    };
    return kind.orElseThrow(() -> error(
        "Unsupported field '" + Validation.printable(field) + "' for field_source " + source.wire() + fieldHint(source),
        path));
  }

  /** {@code instructionName}, or {@code <Instruction>.<field>}: amounts are numbers, the rest base58 text. */
  private static Optional<FieldValue.Kind> solanaKind(final String field, final Map<String, List<String>> fields) {
    if (field.equals("instructionName")) {
      return Optional.of(FieldValue.Kind.TEXT);
    }
    final int dot = field.indexOf('.');
    if (dot < 0 || !fields.getOrDefault(field.substring(0, dot), List.of()).contains(field.substring(dot + 1))) {
      return Optional.empty();
    }
    final String member = field.substring(dot + 1);
    return Optional.of(member.equals("amount") || member.equals("lamports") ? FieldValue.Kind.NUMBER : FieldValue.Kind.TEXT);
  }

  private static Optional<FieldValue.Kind> calldataKind(final String field, final AbiDecoder abi, final String path) {
    if (field.equals(FUNCTION_NAME)) {
      return Optional.of(FieldValue.Kind.TEXT);
    }
    final int dot = field.indexOf('.');
    final String function = dot < 0 ? field : field.substring(0, dot);
    if (!abi.hasFunction(function)) {
      throw error("Function '" + Validation.printable(function) + "' is not in abi", path);
    }
    return dot < 0 ? Optional.empty() : FieldPath.segments(field.substring(dot + 1)).flatMap(p -> abi.leafKind(function, p));
  }

  private static String fieldHint(final FieldSource source) {
    return switch (source) {
      case ETHEREUM_TRANSACTION -> "; expected to, value, chain_id, nonce, gas_limit, gas_price, max_fee_per_gas, "
          + "max_priority_fee_per_gas, " + MAX_FEE + " or " + VALUE_PLUS_MAX_FEE;
      case ETHEREUM_CALLDATA -> "; expected function_name or <function>.<parameter> naming a scalar parameter";
      case ETHEREUM_TYPED_DATA_DOMAIN -> "; expected chainId or verifyingContract";
      case ETHEREUM_TYPED_DATA_MESSAGE -> "; expected a path to a scalar member of typed_data.primary_type";
      case ETHEREUM_7702_AUTHORIZATION -> "; expected contract, chain_id or nonce";
      case SOLANA_PROGRAM_INSTRUCTION -> "; expected programId";
      case SOLANA_TRANSACTION -> "; expected feePayer";
      case SOLANA_SYSTEM_PROGRAM_INSTRUCTION -> "; expected instructionName or Transfer.from, Transfer.to, Transfer.lamports";
      case SOLANA_TOKEN_PROGRAM_INSTRUCTION -> "; expected instructionName or <Instruction>.<field> (Transfer, TransferChecked, "
          + "Burn, MintTo, CloseAccount, InitializeAccount3)";
      case SYSTEM -> "; expected current_unix_timestamp";
      case REFERENCE -> "; expected aggregation.<aggregation_id>";
    };
  }

  private static List<String> values(
      final JsonNode node, final Operator operator, final FieldValue.Kind kind, final String path) {
    if (operator == Operator.IN) {
      if (!node.isArray()) {
        throw error("Expected array, received " + (node.isTextual() ? "string" : "number"), path);
      }
      if (node.size() > MAX_IN_VALUES) {
        throw error("Array must contain at most " + MAX_IN_VALUES + " element(s)"
            + " (use in_condition_set for more)", path);
      }
      final List<String> values = new ArrayList<>();
      for (int i = 0; i < node.size(); i++) {
        values.add(checked(scalar(node.get(i), item(path, i)), kind, item(path, i)));
      }
      return values;
    }
    final String value = scalar(node, path);
    if (operator == Operator.IN_CONDITION_SET) {
      if (value.isEmpty()) {
        throw error("Expected a condition set id", path);
      }
      return List.of(value);
    }
    return List.of(operator.isSubstring() ? fragment(value, kind, path) : checked(value, kind, path));
  }

  /** A piece of a value for contains / starts_with / ends_with: hex digits for addresses and bytes. */
  private static String fragment(final String value, final FieldValue.Kind kind, final String path) {
    final String digits = Numbers.hasHexPrefix(value) ? value.substring(2) : value;
    if (kind != FieldValue.Kind.TEXT && (digits.isEmpty() || Numbers.hexBytes(digits.length() % 2 == 0 ? digits
        : "0" + digits).isEmpty())) {
      throw error("Expected hex digits (optionally starting with 0x)", path);
    }
    if (value.isEmpty()) {
      throw error("String must contain at least 1 character(s)", path);
    }
    return value;
  }

  /** A string, or a JSON number as its decimal string (the docs show numbers; the OAS only strings). */
  private static String scalar(final JsonNode node, final String path) {
    final String text;
    if (node.isTextual()) {
      text = node.textValue();
    } else if (node.isNumber()) {
      // A fraction stays visible (and then fails a numeric check) rather than being rounded away.
      text = Numbers.of(node).map(Object::toString).orElseGet(() -> node.decimalValue().toPlainString());
    } else {
      throw error("Expected string, received " + (node.isArray() ? "array" : node.isObject() ? "object" : "boolean"), path);
    }
    if (text.length() > MAX_VALUE_CHARS) {
      throw error("String must contain at most " + MAX_VALUE_CHARS + " character(s)", path);
    }
    return text;
  }

  private static String checked(final String value, final FieldValue.Kind kind, final String path) {
    if (!FieldValue.wellFormed(kind, value)) {
      throw error(switch (kind) {
        case NUMBER -> "Expected an integer (decimal, or hex starting with 0x)";
        case ADDRESS -> "Expected an address (0x followed by 40 hex digits)";
        case BOOL -> "Expected \"true\" or \"false\"";
        default -> "Expected hex bytes starting with 0x";
      }, path);
    }
    return value;
  }

  private static String invalidEnum(final List<String> expected, final String received) {
    return "Invalid enum value. Expected " + expected.stream().map(e -> "'" + e + "'").collect(Collectors.joining(" | "))
        + ", received '" + Validation.printable(received) + "'";
  }
}
