package dev.mandate.enclave.policy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A policy (privy-api.md §8.2): named rules for one chain type. Build it with {@link
 * PolicyParser#parsePolicy} (API input) or {@link #fromDoc} (storage); evaluate it with {@link
 * PolicyEngine#evaluate}. Immutable: the {@code with…} methods return changed copies.
 *
 * @param id the policy id
 * @param name 1 to {@value PolicyParser#MAX_NAME_CHARS} characters
 * @param chainType always {@code ethereum} in Mandate
 * @param version always {@code 1.0}
 * @param ownerId the owning key quorum, if any (the caller resolves {@code owner} into it)
 * @param rules at most {@value PolicyParser#MAX_RULES}; order does not affect decisions
 * @param createdAt Unix milliseconds
 */
public record Policy(
    String id, String name, String chainType, String version, Optional<String> ownerId, List<Rule> rules, long createdAt) {
  public static final String VERSION = "1.0";
  public static final String CHAIN_TYPE = "ethereum";
  /** A Solana policy: Solana methods and field sources only (and {@code system}). */
  public static final String SOLANA = "solana";
  private static final Set<String> SOLANA_METHODS = Set.of("*", "signMessage", "signTransaction",
      "signAndSendTransaction", "exportPrivateKey", "exportSeedPhrase");

  public Policy {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(chainType, "chainType");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(ownerId, "ownerId");
    rules = List.copyOf(rules);
    if (rules.size() > PolicyParser.MAX_RULES) {
      throw Validation.error("Array must contain at most " + PolicyParser.MAX_RULES + " element(s)", "rules");
    }
    for (int i = 0; i < rules.size(); i++) {
      checkChain(chainType, rules.get(i), "rules[" + i + "]");
    }
    if (new HashSet<>(rules.stream().map(Rule::id).toList()).size() != rules.size()) {
      throw new IllegalArgumentException("policy " + id + " has two rules with the same id");
    }
  }

  /** A rule names only its own chain's methods and field sources: anything else could never match, silently. */
  private static void checkChain(final String chainType, final Rule rule, final String path) {
    final boolean solana = SOLANA.equals(chainType);
    if (solana != SOLANA_METHODS.contains(rule.method()) && !rule.method().equals("*")
        && !rule.method().equals("exportPrivateKey")) {
      throw Validation.error("Method " + rule.method() + " is not a " + chainType + " method", path + ".method");
    }
    for (int c = 0; c < rule.conditions().size(); c++) {
      final FieldSource source = rule.conditions().get(c).fieldSource();
      final boolean fits = solana ? source.isSolana() || source == FieldSource.SYSTEM : !source.isSolana();
      if (!fits) {
        throw Validation.error("field_source " + source.wire() + " cannot be used in a " + chainType + " policy"
            + (source == FieldSource.REFERENCE ? " (aggregations are only supported for Ethereum methods)" : ""),
            path + ".conditions[" + c + "].field_source");
      }
      checkSolanaAddresses(rule.conditions().get(c), path + ".conditions[" + c + "].value");
    }
  }

  /** A misspelt address in a Solana condition would silently never match (a hole in a DENY rule): refuse it. */
  private static void checkSolanaAddresses(final Condition condition, final String path) {
    if (!isSolanaAddressField(condition.fieldSource(), condition.field()) || condition.operator() == Operator.IN_CONDITION_SET) {
      return;
    }
    for (final String value : condition.values()) {
      if (dev.mandate.enclave.solana.Base58.decodePublicKey(value).isEmpty()) {
        throw Validation.error("Expected a Solana address (base58, 32 bytes)", path);
      }
    }
  }

  /** Whether a Solana condition's field holds an address (base58, 32 bytes): all but names and amounts. */
  static boolean isSolanaAddressField(final FieldSource source, final String field) {
    final String member = field.substring(field.indexOf('.') + 1);
    return source.isSolana() && !field.equals("instructionName") && !member.equals("amount") && !member.equals("lamports");
  }

  public Optional<Rule> rule(final String ruleId) {
    return rules.stream().filter(r -> r.id().equals(ruleId)).findFirst();
  }

  /** With {@code rule} appended (POST …/rules). */
  public Policy withRule(final Rule rule) {
    final List<Rule> more = new ArrayList<>(rules);
    more.add(rule);
    return withRules(more);
  }

  /** With the rule of the same id replaced (PATCH …/rules/{id}); unchanged if there is none. */
  public Policy withRuleReplaced(final Rule rule) {
    return withRules(rules.stream().map(r -> r.id().equals(rule.id()) ? rule : r).toList());
  }

  /** Without the rule {@code ruleId} (DELETE …/rules/{id}). */
  public Policy withoutRule(final String ruleId) {
    return withRules(rules.stream().filter(r -> !r.id().equals(ruleId)).toList());
  }

  public Policy withRules(final List<Rule> newRules) {
    return new Policy(id, name, chainType, version, ownerId, newRules, createdAt);
  }

  public Policy withName(final String newName) {
    return new Policy(id, newName, chainType, version, ownerId, rules, createdAt);
  }

  public Policy withOwnerId(final Optional<String> newOwnerId) {
    return new Policy(id, name, chainType, version, newOwnerId, rules, createdAt);
  }

  /** PATCH /v1/policies/{id}: a new name and/or a whole new rule list; owner is the caller's. */
  public Policy apply(final PolicyParser.PolicyPatch patch) {
    return new Policy(id, patch.name().orElse(name), chainType, version, ownerId, patch.rules().orElse(rules), createdAt);
  }

  /** Privy's Policy object: {@code {id, name, chain_type, version, owner_id, created_at, rules}}. */
  public ObjectNode toApiJson() {
    final ObjectNode out = JsonNodeFactory.instance.objectNode();
    out.put("id", id);
    out.put("name", name);
    out.put("chain_type", chainType);
    out.put("version", version);
    if (ownerId.isPresent()) {
      out.put("owner_id", ownerId.get());
    } else {
      out.putNull("owner_id");
    }
    out.put("created_at", createdAt);
    final ArrayNode array = out.putArray("rules");
    rules.forEach(r -> array.add(r.toJson()));
    return out;
  }

  /** The stored form: the API form, which {@link #fromDoc} reads back (re-validated). */
  public ObjectNode toDoc() {
    return toApiJson();
  }

  /** @throws dev.mandate.enclave.InvalidRequestException if the document is not a valid policy */
  public static Policy fromDoc(final JsonNode doc) {
    return PolicyParser.policyFromDoc(doc);
  }
}
