package dev.mandate.enclave.policy;

import static dev.mandate.enclave.policy.Validation.error;
import static dev.mandate.enclave.policy.Validation.item;
import static dev.mandate.enclave.policy.Validation.member;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A rolling-window sum over requests (Privy's aggregations, privy-api.md §8.5), referred to from
 * conditions as {@code {"field_source": "reference", "field": "aggregation.<id>"}}. The engine
 * keeps no state: the caller records each signed request's {@link #contribution} (under its
 * {@link #groupKey}) and, when evaluating, supplies the window's sum including the current
 * request through {@link EvaluationContext#aggregationValue}.
 *
 * <p>Mandate meters {@code eth_signTransaction} and {@code eth_sendTransaction} (Privy also lists
 * {@code eth_signUserOperation}, which Mandate does not sign). The metric is a numeric field:
 * {@code ethereum_transaction.value}, {@code value_plus_max_fee} (what can leave the account, fees
 * included) or another numeric transaction field, or a numeric {@code ethereum_calldata} parameter
 * (e.g. {@code transfer.amount} with its {@code abi}); the function is always {@code sum}. Requests
 * are read as the signer parsed them ({@link PolicyInput}).
 *
 * @param id the aggregation id
 * @param name 1–{@value #MAX_NAME_CHARS} characters
 * @param method the RPC method whose requests count
 * @param metric what each counted request adds
 * @param windowSeconds rolling window, {@value #MIN_WINDOW_SECONDS}–{@value #MAX_WINDOW_SECONDS}
 * @param conditions which requests count (all must hold); at most {@value #MAX_CONDITIONS}
 * @param groupBy fields that partition the sums; at most {@value #MAX_GROUP_BY}
 * @param ownerId the owning key quorum, if any
 * @param createdAt Unix milliseconds
 */
public record Aggregation(
    String id,
    String name,
    String method,
    Field metric,
    int windowSeconds,
    List<Condition> conditions,
    List<Field> groupBy,
    Optional<String> ownerId,
    long createdAt) {
  public static final int MAX_NAME_CHARS = 255;
  public static final int MIN_WINDOW_SECONDS = 3600;
  public static final int MAX_WINDOW_SECONDS = 259_200;
  public static final int MAX_CONDITIONS = 100;
  public static final int MAX_GROUP_BY = 2;
  public static final Set<String> METHODS = Set.of("eth_signTransaction", "eth_sendTransaction");

  private static final Set<String> KEYS =
      Set.of("name", "method", "metric", "window", "conditions", "group_by", "owner", "owner_id");
  private static final Set<String> DOC_KEYS =
      Set.of("id", "name", "method", "metric", "window", "conditions", "group_by", "owner_id", "created_at");
  private static final Set<String> METRIC_KEYS = Set.of("field_source", "field", "abi", "function");

  /** A request field: the metric, or a group-by. */
  public record Field(FieldSource fieldSource, String field, Optional<AbiDecoder> abi) {
    Reading read(final PolicyInput input) {
      return FieldReader.read(fieldSource, field, abi, Optional.empty(), input, EvaluationContext.at(Instant.EPOCH));
    }

    ObjectNode toJson() {
      final ObjectNode out = JsonNodeFactory.instance.objectNode();
      out.put("field_source", fieldSource.wire());
      out.put("field", field);
      abi.ifPresent(a -> out.set("abi", a.json()));
      return out;
    }
  }

  public Aggregation {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(metric, "metric");
    conditions = List.copyOf(conditions);
    groupBy = List.copyOf(groupBy);
    Objects.requireNonNull(ownerId, "ownerId");
  }

  /**
   * POST /v1/aggregations: {@code {name, method, metric: {field_source, field, abi?, function:
   * "sum"}, window: {type: "rolling", seconds}, conditions?, group_by?, owner?, owner_id?}}; owner
   * fields are the caller's. Errors are like {@link PolicyParser}'s.
   */
  public static Aggregation parse(final JsonNode body, final String id, final long createdAt, final Optional<String> ownerId) {
    final JsonNode object = Validation.object(body, "");
    Validation.allowOnly(object, "", KEYS);
    return read(object, id, createdAt, ownerId);
  }

  /** Reads {@link #toDoc()} back. */
  public static Aggregation fromDoc(final JsonNode doc) {
    final JsonNode object = Validation.object(doc, "");
    Validation.allowOnly(object, "", DOC_KEYS);
    final JsonNode created = Validation.required(object, "created_at", "");
    if (!created.canConvertToLong()) {
      throw error("Expected integer", "created_at");
    }
    final Optional<String> ownerId = Validation.optional(object, "owner_id").map(o -> Validation.text(o, "owner_id"));
    return read(object, Validation.requiredText(object, "id", ""), created.longValue(), ownerId);
  }

  private static Aggregation read(final JsonNode object, final String id, final long createdAt, final Optional<String> ownerId) {
    final String name = Validation.requiredText(object, "name", "");
    if (name.isEmpty() || name.length() > MAX_NAME_CHARS) {
      throw error("String must contain between 1 and " + MAX_NAME_CHARS + " character(s)", "name");
    }
    final String method = Validation.requiredText(object, "method", "");
    if (!METHODS.contains(method)) {
      throw error("Invalid enum value. Expected 'eth_sendTransaction' | 'eth_signTransaction', received '"
          + Validation.printable(method) + "'", "method");
    }
    return new Aggregation(id, name, method, metric(Validation.required(object, "metric", "")),
        window(Validation.required(object, "window", "")), conditions(object), groupBy(object), ownerId, createdAt);
  }

  private static Field metric(final JsonNode node) {
    final JsonNode object = Validation.object(node, "metric");
    Validation.allowOnly(object, "metric", METRIC_KEYS);
    if (!"sum".equals(Validation.requiredText(object, "function", "metric"))) {
      throw error("Invalid enum value. Expected 'sum', received '"
          + Validation.printable(object.get("function").textValue()) + "'", "metric.function");
    }
    final PolicyParser.FieldRef ref = metered(object, "metric");
    if (ref.kind() != FieldValue.Kind.NUMBER) {
      throw error("The metric must be a numeric field", "metric.field");
    }
    return new Field(ref.source(), ref.field(), ref.abi());
  }

  private static int window(final JsonNode node) {
    final JsonNode object = Validation.object(node, "window");
    Validation.allowOnly(object, "window", Set.of("type", "seconds"));
    if (!"rolling".equals(Validation.requiredText(object, "type", "window"))) {
      throw error("Invalid literal value, expected \"rolling\"", "window.type");
    }
    final JsonNode seconds = Validation.required(object, "seconds", "window");
    if (!seconds.isIntegralNumber() || !seconds.canConvertToInt()
        || seconds.intValue() < MIN_WINDOW_SECONDS || seconds.intValue() > MAX_WINDOW_SECONDS) {
      throw error("Expected an integer from " + MIN_WINDOW_SECONDS + " to " + MAX_WINDOW_SECONDS, "window.seconds");
    }
    return seconds.intValue();
  }

  private static List<Condition> conditions(final JsonNode object) {
    final Optional<JsonNode> node = Validation.optional(object, "conditions");
    final List<Condition> conditions = new ArrayList<>();
    if (node.isEmpty()) {
      return conditions;
    }
    Validation.array(node.get(), "conditions");
    if (node.get().size() > MAX_CONDITIONS) {
      throw error("Array must contain at most " + MAX_CONDITIONS + " element(s)", "conditions");
    }
    for (int i = 0; i < node.get().size(); i++) {
      final Condition condition = PolicyParser.parseCondition(node.get().get(i), item("conditions", i));
      // An aggregation filtered by another aggregation would need the caller to order its sums.
      if (condition.fieldSource() == FieldSource.REFERENCE) {
        throw error("Aggregation conditions cannot refer to aggregations", member(item("conditions", i), "field_source"));
      }
      conditions.add(condition);
    }
    return conditions;
  }

  private static List<Field> groupBy(final JsonNode object) {
    final Optional<JsonNode> node = Validation.optional(object, "group_by");
    final List<Field> fields = new ArrayList<>();
    if (node.isEmpty()) {
      return fields;
    }
    Validation.array(node.get(), "group_by");
    if (node.get().size() > MAX_GROUP_BY) {
      throw error("Array must contain at most " + MAX_GROUP_BY + " element(s)", "group_by");
    }
    for (int i = 0; i < node.get().size(); i++) {
      final String path = item("group_by", i);
      final JsonNode entry = Validation.object(node.get().get(i), path);
      Validation.allowOnly(entry, path, Set.of("field_source", "field", "abi"));
      final PolicyParser.FieldRef ref = metered(entry, path);
      fields.add(new Field(ref.source(), ref.field(), ref.abi()));
    }
    return fields;
  }

  /** A field of the transaction being metered: only transaction and calldata fields qualify. */
  private static PolicyParser.FieldRef metered(final JsonNode object, final String path) {
    final PolicyParser.FieldRef ref = PolicyParser.fieldRef(object, path);
    if (ref.source() != FieldSource.ETHEREUM_TRANSACTION && ref.source() != FieldSource.ETHEREUM_CALLDATA) {
      throw error("Expected field_source ethereum_transaction or ethereum_calldata", member(path, "field_source"));
    }
    return ref;
  }

  /**
   * Whether a request counts towards this aggregation: its method is this aggregation's and no
   * condition is false. A condition that cannot be decided on what is signed counts the request
   * (metering more is the safe side of a cap).
   */
  public boolean counts(final PolicyInput input, final EvaluationContext ctx) {
    return method.equals(input.method())
        && conditions.stream().map(c -> c.holds(input, ctx)).reduce(Truth.TRUE, Truth::and) != Truth.FALSE;
  }

  /**
   * What this request adds to the sum: the metric's value (e.g. the transaction's {@code value};
   * a transaction without one adds 0), 0 when the request does not count or does not have the field
   * (a call of another function); empty when it counts but the metric cannot be read from what is
   * signed (calldata that does not decode, a fee the host has not filled): a reference to this
   * aggregation is then unknown, and fails closed.
   */
  public Optional<BigInteger> contribution(final PolicyInput input, final EvaluationContext ctx) {
    if (!counts(input, ctx)) {
      return Optional.of(BigInteger.ZERO);
    }
    final Reading reading = metric.read(input);
    if (reading.unreadable()) {
      return Optional.empty();
    }
    return Optional.of(reading.value().flatMap(v -> Numbers.parse(v.text())).filter(v -> v.signum() > 0)
        .orElse(BigInteger.ZERO));
  }

  /**
   * {@link #contribution(PolicyInput, EvaluationContext)} of a request body parsed with the signer's
   * parser ({@link PolicyInput#parse}): how the host meters the requests it recorded. A metric that
   * cannot be read counts 0 here; the enclave refuses such a request before it is signed.
   *
   * @throws dev.mandate.enclave.InvalidRequestException if the signer would refuse the body
   */
  public BigInteger contribution(final String requestMethod, final JsonNode requestBody, final EvaluationContext ctx) {
    return contribution(PolicyInput.parse(requestMethod, requestBody), ctx).orElse(BigInteger.ZERO);
  }

  /** As above, the method read from the body, at the current time, with no condition sets. */
  public BigInteger contribution(final JsonNode requestBody) {
    return contribution(requestBody.path("method").asText(), requestBody, EvaluationContext.at(Instant.now()));
  }

  /**
   * The request's group: one string per {@code group_by} field (addresses lower-cased, numbers in
   * decimal, absent or unreadable fields as the empty string); an empty list without {@code group_by}.
   */
  public List<String> groupKey(final PolicyInput input) {
    return groupBy.stream()
        .map(g -> g.read(input).value()
            .map(v -> v.kind() == FieldValue.Kind.ADDRESS ? v.text().toLowerCase(Locale.ROOT) : v.text())
            .orElse(""))
        .toList();
  }

  /** {@link #groupKey(PolicyInput)} of a request body parsed with the signer's parser. */
  public List<String> groupKey(final JsonNode requestBody) {
    return groupKey(PolicyInput.parse(requestBody.path("method").asText(method), requestBody));
  }

  /** Privy's Aggregation object. */
  public ObjectNode toApiJson() {
    final ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("id", id);
    out.put("name", name);
    out.put("method", method);
    out.set("metric", metric.toJson().put("function", "sum"));
    out.putObject("window").put("type", "rolling").put("seconds", windowSeconds);
    final ArrayNode conditionArray = out.putArray("conditions");
    conditions.forEach(c -> conditionArray.add(c.toJson()));
    final ArrayNode groupArray = out.putArray("group_by");
    groupBy.forEach(g -> groupArray.add(g.toJson()));
    if (ownerId.isPresent()) {
      out.put("owner_id", ownerId.get());
    } else {
      out.putNull("owner_id");
    }
    out.put("created_at", createdAt);
    return out;
  }

  public ObjectNode toDoc() {
    return toApiJson();
  }
}
