package dev.mandate.enclave.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A wallet as stored: Privy's {@code Wallet} object plus the public key and the wrapped private key.
 * Sealed by the enclave, so its owner, signers, policies and the binding of its key cannot be
 * changed by a database write.
 */
public record WalletRecord(
    String id,
    String address,
    String chainType,
    String publicKey,
    String wrappedKey,
    Optional<String> ownerId,
    List<String> policyIds,
    List<Signer> additionalSigners,
    Optional<String> displayName,
    Optional<String> externalId,
    long createdAt) {
  public static final String KIND = "wallet";

  public WalletRecord {
    policyIds = List.copyOf(policyIds);
    additionalSigners = List.copyOf(additionalSigners);
  }

  /** An additional signer: a key quorum id and at most one override policy. */
  public record Signer(String signerId, List<String> overridePolicyIds, Optional<String> pin) {
    public Signer {
      overridePolicyIds = List.copyOf(overridePolicyIds);
    }

    public Signer(final String signerId, final List<String> overridePolicyIds) {
      this(signerId, overridePolicyIds, Optional.empty());
    }

    ObjectNode toJson() {
      final ObjectNode n = Docs.object().put("signer_id", signerId);
      Docs.array(n, "override_policy_ids", overridePolicyIds);
      return n;
    }

    static Signer fromJson(final JsonNode n) {
      return new Signer(n.path("signer_id").asText(), Docs.strings(n.path("override_policy_ids")));
    }
  }

  /** Privy's {@code Wallet} object, as the API returns it. */
  public ObjectNode toApiJson() {
    final ObjectNode n = Docs.object().put("id", id).put("address", address).put("chain_type", chainType);
    Docs.array(n, "policy_ids", policyIds);
    final ArrayNode signers = n.putArray("additional_signers");
    additionalSigners.forEach(s -> signers.add(s.toJson()));
    n.put("owner_id", ownerId.orElse(null));
    n.put("created_at", createdAt);
    n.putNull("exported_at");
    n.putNull("imported_at");
    displayName.ifPresent(v -> n.put("display_name", v));
    externalId.ifPresent(v -> n.put("external_id", v));
    return n;
  }

  /**
   * The stored form: the API object plus the key and, for owned wallets, {@code signer_pins} — what
   * the owner approved for each signer's override (never shown by the API).
   */
  public String toDoc() {
    final ObjectNode n = toApiJson().put("public_key", publicKey).put("wrapped_key", wrappedKey);
    if (additionalSigners.stream().anyMatch(s -> s.pin().isPresent())) {
      final ObjectNode pins = n.putObject("signer_pins");
      additionalSigners.forEach(s -> s.pin().ifPresent(pin -> pins.put(s.signerId(), pin)));
    }
    return n.toString();
  }

  /** Parsed documents by their text: the same few come back on every request (immutable, public). */
  private static final Memo<WalletRecord> PARSED = new Memo<>(WalletRecord::parse, Docs.MEMO_ENTRIES, Docs.MEMO_MAX_CHARS,
      Docs.MEMO_TOTAL_CHARS);

  public static WalletRecord fromDoc(final String doc) {
    return PARSED.apply(doc);
  }

  private static WalletRecord parse(final String doc) {
    final ObjectNode n = Docs.parse(doc);
    final List<Signer> signers = new ArrayList<>();
    final JsonNode pins = n.path("signer_pins");
    n.path("additional_signers").forEach(s -> {
      final Signer signer = Signer.fromJson(s);
      signers.add(new Signer(signer.signerId(), signer.overridePolicyIds(), Docs.optionalText(pins, signer.signerId())));
    });
    return new WalletRecord(
        n.path("id").asText(),
        n.path("address").asText(),
        n.path("chain_type").asText(),
        n.path("public_key").asText(),
        n.path("wrapped_key").asText(),
        Docs.optionalText(n, "owner_id"),
        Docs.strings(n.path("policy_ids")),
        signers,
        Docs.optionalText(n, "display_name"),
        Docs.optionalText(n, "external_id"),
        n.path("created_at").asLong());
  }

  public WalletRecord withOwner(final Optional<String> owner) {
    return new WalletRecord(id, address, chainType, publicKey, wrappedKey, owner, policyIds, additionalSigners,
        displayName, externalId, createdAt);
  }

  public WalletRecord withPolicies(final List<String> policies) {
    return new WalletRecord(id, address, chainType, publicKey, wrappedKey, ownerId, policies, additionalSigners,
        displayName, externalId, createdAt);
  }

  public WalletRecord withSigners(final List<Signer> signers) {
    return new WalletRecord(id, address, chainType, publicKey, wrappedKey, ownerId, policyIds, signers,
        displayName, externalId, createdAt);
  }

  public WalletRecord withDisplayName(final Optional<String> name) {
    return new WalletRecord(id, address, chainType, publicKey, wrappedKey, ownerId, policyIds, additionalSigners,
        name, externalId, createdAt);
  }
}
