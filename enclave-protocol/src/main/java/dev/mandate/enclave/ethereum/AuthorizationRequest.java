package dev.mandate.enclave.ethereum;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.Optional;
import java.util.Set;

/**
 * {@code eth_sign7702Authorization}: an EIP-7702 authorization that lets this EOA run
 * {@code contract}'s code. Digest: keccak256(0x05 ‖ rlp([chain_id, address, nonce])).
 *
 * <p>{@code chain_id} 0 is allowed, as EIP-7702 allows it, and means "valid on every chain";
 * policies should look at it.
 */
public final class AuthorizationRequest implements SigningRequest {
  private static final Set<String> FIELDS = Set.of("contract", "chain_id", "nonce", "executor");
  private static final byte MAGIC = 0x05;

  private final String contractText;
  private final EthAddress contract;
  private final BigInteger chainId;
  private final BigInteger nonce;
  private final Optional<String> executor;
  private final byte[] digest;

  private AuthorizationRequest(
      final String contractText, final EthAddress contract, final BigInteger chainId,
      final BigInteger nonce, final Optional<String> executor) {
    this.contractText = contractText;
    this.contract = contract;
    this.chainId = chainId;
    this.nonce = nonce;
    this.executor = executor;
    final byte[] tuple = Rlp.encodeList(
        Rlp.encodeQuantity(chainId), Rlp.encodeBytes(contract.toBytes()), Rlp.encodeQuantity(nonce));
    this.digest = Keccak.keccak256(new byte[] {MAGIC}, tuple);
  }

  /**
   * {@code params: {contract, chain_id, nonce?, executor?}}. {@code executor: "self"} tells Privy
   * the wallet itself will send the authorizing transaction (so its nonce is the account's next
   * nonce + 1); the enclave has no chain access and signs the given nonce (default 0) as is.
   */
  static AuthorizationRequest parse(final JsonNode params) {
    Fields.allowOnly(params, "params", FIELDS);
    final JsonNode contractNode = Fields.required(params, "contract", "params.contract");
    final EthAddress contract = Fields.address(contractNode, "params.contract");
    final BigInteger chainId = Fields.quantity(Fields.required(params, "chain_id", "params.chain_id"), "params.chain_id", 256);
    final BigInteger nonce = Fields.optional(params, "nonce")
        .map(n -> Fields.quantity(n, "params.nonce", 64))
        .orElse(BigInteger.ZERO);
    final Optional<String> executor = Fields.optional(params, "executor").map(e -> {
      if (!"self".equals(e.textValue())) {
        throw Fields.invalid("params.executor", "must be \"self\"");
      }
      return "self";
    });
    return new AuthorizationRequest(contractNode.textValue(), contract, chainId, nonce, executor);
  }

  @Override
  public String method() {
    return "eth_sign7702Authorization";
  }

  /** The contract whose code the account delegates to. */
  public EthAddress contract() {
    return contract;
  }

  /** 0 means any chain. */
  public BigInteger chainId() {
    return chainId;
  }

  public BigInteger nonce() {
    return nonce;
  }

  public Optional<String> executor() {
    return executor;
  }

  @Override
  public byte[] digest() {
    return digest.clone();
  }

  /** {@code {"authorization": {contract, chain_id, nonce, r, s, y_parity}}}, contract echoed as sent. */
  @Override
  public ObjectNode sign(final DigestSigner key) {
    final RecoverableSignature signature = key.signDigest(digest);
    final ObjectNode authorization = Responses.object();
    authorization.put("contract", contractText);
    authorization.set("chain_id", Responses.number(chainId));
    authorization.set("nonce", Responses.number(nonce));
    authorization.put("r", Hex.encode(signature.rBytes()));
    authorization.put("s", Hex.encode(signature.sBytes()));
    authorization.put("y_parity", signature.yParity());
    final ObjectNode data = Responses.object();
    data.set("authorization", authorization);
    return data;
  }
}
