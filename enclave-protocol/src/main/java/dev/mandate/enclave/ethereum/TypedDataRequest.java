package dev.mandate.enclave.ethereum;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** {@code eth_signTypedData_v4}: {@code params: {typed_data: {domain, types, message, primary_type}}}. */
public final class TypedDataRequest implements SigningRequest {
  private static final Set<String> FIELDS = Set.of("typed_data");

  private final TypedData typedData;
  private final byte[] digest;

  private TypedDataRequest(final TypedData typedData) {
    this.typedData = typedData;
    this.digest = typedData.digest();
  }

  static TypedDataRequest parse(final JsonNode params) {
    Fields.allowOnly(params, "params", FIELDS);
    return new TypedDataRequest(
        TypedData.parse(Fields.required(params, "typed_data", "params.typed_data"), "params.typed_data"));
  }

  @Override
  public String method() {
    return "eth_signTypedData_v4";
  }

  public TypedData typedData() {
    return typedData;
  }

  /** The domain's chain id, when its type declares one. */
  public Optional<BigInteger> domainChainId() {
    return typedData.domainChainId();
  }

  /** The domain's verifying contract, when its type declares one. */
  public Optional<EthAddress> verifyingContract() {
    return typedData.verifyingContract();
  }

  public String primaryType() {
    return typedData.primaryType();
  }

  public Map<String, List<TypedData.Member>> types() {
    return typedData.types();
  }

  /** The message as sent; read values through {@link #types()}, undeclared members are not signed. */
  public JsonNode message() {
    return typedData.message();
  }

  @Override
  public byte[] digest() {
    return digest.clone();
  }
}
