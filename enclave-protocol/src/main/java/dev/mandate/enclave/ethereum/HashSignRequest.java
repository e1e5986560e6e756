package dev.mandate.enclave.ethereum;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * {@code secp256k1_sign}: signs a caller-supplied 32-byte hash as is. The most powerful method (the
 * hash could be anything, a transaction included), which is why policies usually deny it.
 */
public final class HashSignRequest implements SigningRequest {
  private static final Set<String> FIELDS = Set.of("hash");

  private final byte[] hash;

  private HashSignRequest(final byte[] hash) {
    this.hash = hash;
  }

  /** {@code params: {hash: "0x" + 64 hex digits}}. */
  static HashSignRequest parse(final JsonNode params) {
    Fields.allowOnly(params, "params", FIELDS);
    return new HashSignRequest(Fields.hexBytes(Fields.required(params, "hash", "params.hash"), "params.hash", 32));
  }

  @Override
  public String method() {
    return "secp256k1_sign";
  }

  @Override
  public byte[] digest() {
    return hash.clone();
  }

  @Override
  public ObjectNode sign(final DigestSigner key) {
    return Responses.rsvSignature(key.signDigest(hash));
  }
}
