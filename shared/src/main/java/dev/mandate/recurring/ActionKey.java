package dev.mandate.recurring;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.api.Json;
import java.util.Set;

/**
 * The signing key of one recurring action, as stored with the action. Holds no private key material
 * in the clear: a {@code kms} key never leaves KMS, and a {@code dev} key is stored wrapped.
 *
 * @param kind {@link #KMS} or {@link #DEV}: which {@link ActionSigner} made it, and so which can use it
 * @param reference for {@code kms}, the KMS key ARN; for {@code dev}, {@link DevActionSigner}'s
 *     reference (the wrapped private key and what it is bound to)
 * @param publicKeySpkiBase64 the P-256 public key, base64 of its SPKI DER, as key quorums take it
 */
public record ActionKey(String kind, String reference, String publicKeySpkiBase64) {
  public static final String KMS = "kms";
  public static final String DEV = "dev";
  private static final Set<String> KINDS = Set.of(KMS, DEV);

  public ActionKey {
    if (kind == null || !KINDS.contains(kind)) {
      throw new IllegalArgumentException("action key kind must be kms or dev, not " + kind);
    }
    requireText(reference, "reference");
    requireText(publicKeySpkiBase64, "public key");
  }

  /** {@code {"kind": ..., "reference": ..., "public_key": ...}}. */
  public String toJson() {
    final ObjectNode node = Json.object();
    node.put("kind", kind);
    node.put("reference", reference);
    node.put("public_key", publicKeySpkiBase64);
    return node.toString();
  }

  /** Reads what {@link #toJson()} wrote. @throws IllegalArgumentException if a field is missing or wrong */
  public static ActionKey fromJson(final String json) {
    final ObjectNode node;
    try {
      node = Json.parseStored(json);
    } catch (IllegalStateException e) {
      throw new IllegalArgumentException("action key is not a JSON object", e);
    }
    return new ActionKey(text(node, "kind"), text(node, "reference"), text(node, "public_key"));
  }

  private static String text(final ObjectNode node, final String name) {
    final JsonNode value = node.get(name);
    if (value == null || !value.isTextual()) {
      throw new IllegalArgumentException("action key has no text field '" + name + "'");
    }
    return value.asText();
  }

  private static void requireText(final String value, final String name) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("action key " + name + " must not be blank");
    }
  }

  /** Leaves out the reference: harmless for KMS, but for dev it is a wrapped private key. */
  @Override
  public String toString() {
    return "ActionKey[kind=" + kind + ", publicKey=" + publicKeySpkiBase64 + "]";
  }
}
