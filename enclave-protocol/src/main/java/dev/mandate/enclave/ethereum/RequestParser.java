package dev.mandate.enclave.ethereum;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mandate.enclave.InvalidRequestException;
import java.math.BigInteger;
import java.util.Optional;

/**
 * The body-level checks shared by every method, then dispatch on the method name. Top-level
 * fields other than those checked here ({@code address}, {@code wallet_id}, {@code sponsor}, ...)
 * are routing or broadcast concerns outside the enclave and are ignored; inside {@code params}
 * every unknown field is refused.
 */
final class RequestParser {
  /**
   * Top-level body flag ({@code true}) that lets {@code eth_signTransaction} sign a type 0
   * transaction without any chain id (pre-EIP-155, replayable on every chain). Covered by the
   * authorization signature like the rest of the body; policies read such a transaction's
   * {@code chain_id} as unknown, so no chain condition lets it through.
   */
  static final String ALLOW_NO_CHAIN_ID = "allow_pre_eip155";

  private RequestParser() {}

  static SigningRequest parseRpc(final String method, final JsonNode body) {
    if (method == null) {
      throw new InvalidRequestException("method is required");
    }
    final JsonNode object = Fields.object(body, "body");
    Fields.optional(object, "method").ifPresent(m -> {
      if (!m.isTextual() || !m.textValue().equals(method)) {
        throw new InvalidRequestException("method does not match the request");
      }
    });
    checkChainType(object);
    checkSignatureOptions(object);
    final Optional<BigInteger> caip2ChainId = caip2ChainId(object);
    final JsonNode params = Fields.object(Fields.required(object, "params", "params"), "params");
    return switch (method) {
      case "personal_sign" -> PersonalSignRequest.parse(params);
      case "secp256k1_sign" -> HashSignRequest.parse(params);
      case "eth_signTypedData_v4" -> TypedDataRequest.parse(params);
      case "eth_signTransaction" -> TransactionRequest.parse(params, caip2ChainId, allowNoChainId(object));
      case "eth_sign7702Authorization" -> AuthorizationRequest.parse(params);
      default -> throw new InvalidRequestException(
          "method " + printable(method) + " is not supported for Ethereum wallets");
    };
  }

  /**
   * The caller's part of an {@code eth_sendTransaction} (or {@code eth_signTransaction}) body before
   * the host fills nonce, gas and fees: same body checks, each present field validated as for signing.
   */
  static TransactionFields parseUnfilledTransaction(final JsonNode body) {
    final JsonNode object = Fields.object(body, "body");
    checkChainType(object);
    final Optional<BigInteger> caip2ChainId = caip2ChainId(object);
    final JsonNode params = Fields.object(Fields.required(object, "params", "params"), "params");
    return TransactionRequest.parseUnfilled(params, caip2ChainId);
  }

  private static boolean allowNoChainId(final JsonNode body) {
    return Fields.optional(body, ALLOW_NO_CHAIN_ID).map(flag -> {
      if (!flag.isBoolean()) {
        throw Fields.invalid(ALLOW_NO_CHAIN_ID, "must be true or false");
      }
      return flag.booleanValue();
    }).orElse(false);
  }

  static SigningRequest parseRawSign(final JsonNode body) {
    final JsonNode object = Fields.object(body, "body");
    final JsonNode params = Fields.object(Fields.required(object, "params", "params"), "params");
    return RawSignRequest.parse(params);
  }

  private static void checkChainType(final JsonNode body) {
    Fields.optional(body, "chain_type").ifPresent(type -> {
      if (!"ethereum".equals(type.textValue())) {
        throw new InvalidRequestException("chain_type must be \"ethereum\" for this wallet");
      }
    });
  }

  /** ERC-1271 needs a smart-contract wallet; the enclave only holds EOA keys. */
  private static void checkSignatureOptions(final JsonNode body) {
    Fields.optional(body, "signature_options").ifPresent(options -> {
      final JsonNode type = Fields.object(options, "signature_options").get("type");
      if (type != null && !type.isNull() && !"ecdsa".equals(type.textValue())) {
        throw new InvalidRequestException("signature_options.type must be \"ecdsa\"; "
            + "erc1271 signatures are not supported");
      }
    });
  }

  /** {@code caip2: "eip155:<chain id>"}, the chain a transaction is for when it names none itself. */
  private static Optional<BigInteger> caip2ChainId(final JsonNode body) {
    return Fields.optional(body, "caip2").map(node -> {
      final String text = Fields.text(node, "caip2");
      final String digits = text.startsWith("eip155:") ? text.substring(7) : "";
      if (digits.isEmpty() || digits.length() > 20 || !digits.chars().allMatch(Character::isDigit)
          || digits.charAt(0) == '0') {
        throw new InvalidRequestException("caip2 must be \"eip155:<chain id>\" for an Ethereum wallet");
      }
      return new BigInteger(digits);
    });
  }

  /** A method name is caller-controlled; echo a bounded, printable form of it only. */
  private static String printable(final String method) {
    final String cut = method.length() > 64 ? method.substring(0, 64) + "..." : method;
    return "\"" + cut.replaceAll("[^\\x20-\\x7e]", "?") + "\"";
  }
}
