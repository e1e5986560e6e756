package dev.mandate.enclave.ethereum;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A fully parsed and validated request to sign with an Ethereum wallet key.
 *
 * <p>Parsing happens before the key is unwrapped, so bad input never costs a KMS call, and the
 * result is a typed object a policy engine can inspect (recipient, value, chain, typed-data
 * domain...) knowing that exactly what it inspected is what gets signed: the digest is computed at
 * parse time from the same values.
 */
public sealed interface SigningRequest
    permits PersonalSignRequest, HashSignRequest, TypedDataRequest, TransactionRequest,
        AuthorizationRequest, RawSignRequest {

  /** The Privy method name this answers ({@code personal_sign}, ..., {@code raw_sign}). */
  String method();

  /** The 32 bytes that get signed (a copy). */
  byte[] digest();

  /**
   * Signs and returns the {@code data} object of Privy's response. By default a message signature,
   * {@code {"signature": "0x" r‖s‖v, "encoding": "hex"}}; transactions and authorizations answer differently.
   */
  default ObjectNode sign(final DigestSigner key) {
    return Responses.rsvSignature(key.signDigest(digest()));
  }

  /**
   * Parses a {@code POST /v1/wallets/{id}/rpc} body.
   *
   * @param method the body's {@code method}
   * @param body the whole JSON body: {@code {"method", "params", "chain_type"?, "caip2"?, ...}}
   * @throws dev.mandate.enclave.InvalidRequestException for anything malformed or unsupported,
   *     with a message that names the field
   */
  static SigningRequest parseRpc(final String method, final JsonNode body) {
    return RequestParser.parseRpc(method, body);
  }

  /**
   * Parses the caller's transaction of an {@code eth_sendTransaction} body that the host has not
   * filled yet (nonce, gas, fees may be missing); present fields are checked as for signing.
   */
  static TransactionFields parseUnfilledTransaction(final JsonNode body) {
    return RequestParser.parseUnfilledTransaction(body);
  }

  /** Parses a {@code POST /v1/wallets/{id}/raw_sign} body: {@code {"params": {...}}}. */
  static SigningRequest parseRawSign(final JsonNode body) {
    return RequestParser.parseRawSign(body);
  }
}
