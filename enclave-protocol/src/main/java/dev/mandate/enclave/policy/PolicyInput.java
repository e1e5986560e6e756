package dev.mandate.enclave.policy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mandate.enclave.InvalidRequestException;
import dev.mandate.enclave.ethereum.AuthorizationRequest;
import dev.mandate.enclave.ethereum.SigningRequest;
import dev.mandate.enclave.ethereum.TransactionFields;
import dev.mandate.enclave.ethereum.TransactionRequest;
import dev.mandate.enclave.ethereum.TypedData;
import dev.mandate.enclave.ethereum.TypedDataRequest;
import java.util.Objects;
import java.util.Optional;

/**
 * What a policy judges: the request's method and the <em>parsed</em> object that is signed. Every
 * field source reads from here, never from the request's JSON, so a condition sees exactly the values
 * whose digest the wallet key signs (one reading of the body, by the signer's own parser).
 */
public final class PolicyInput {
  private final String method;
  private final Optional<TransactionFields> transaction;
  private final Optional<TypedData> typedData;
  private final Optional<AuthorizationRequest> authorization;

  private PolicyInput(final String method, final Optional<TransactionFields> transaction,
      final Optional<TypedData> typedData, final Optional<AuthorizationRequest> authorization) {
    this.method = Objects.requireNonNull(method, "method");
    this.transaction = transaction;
    this.typedData = typedData;
    this.authorization = authorization;
  }

  /**
   * The request that is about to be signed.
   *
   * @param method the RPC method the policy matches on ({@code eth_sendTransaction} signs an
   *     {@code eth_signTransaction} request; {@code raw_sign} for raw_sign)
   */
  public static PolicyInput of(final String method, final SigningRequest signed) {
    return switch (signed) {
      case TransactionRequest tx -> new PolicyInput(method, Optional.of(tx.fields()), Optional.empty(), Optional.empty());
      case TypedDataRequest td -> new PolicyInput(method, Optional.empty(), Optional.of(td.typedData()), Optional.empty());
      case AuthorizationRequest a -> new PolicyInput(method, Optional.empty(), Optional.empty(), Optional.of(a));
      default -> new PolicyInput(method, Optional.empty(), Optional.empty(), Optional.empty());
    };
  }

  /** A caller's transaction the host has not filled yet (a dry run of a send): what is missing reads as unknown. */
  public static PolicyInput unfilled(final String method, final TransactionFields transaction) {
    return new PolicyInput(method, Optional.of(transaction), Optional.empty(), Optional.empty());
  }

  /**
   * Parses a request body with the signer's parser: transactions as {@link #unfilled} (the host
   * meters past requests this way, and tests use it), everything else as for signing.
   *
   * @throws InvalidRequestException when the signer would refuse the body
   */
  public static PolicyInput parse(final String method, final JsonNode body) {
    return switch (method) {
      case "eth_sendTransaction", "eth_signTransaction" -> unfilled(method, SigningRequest.parseUnfilledTransaction(body));
      case "raw_sign", "signRawMessageBytes" -> of(method, SigningRequest.parseRawSign(body));
      default -> of(method, SigningRequest.parseRpc(method, body));
    };
  }

  public String method() {
    return method;
  }

  /** For {@code eth_signTransaction} and {@code eth_sendTransaction}. */
  public Optional<TransactionFields> transaction() {
    return transaction;
  }

  /** For {@code eth_signTypedData_v4}. */
  public Optional<TypedData> typedData() {
    return typedData;
  }

  /** For {@code eth_sign7702Authorization}. */
  public Optional<AuthorizationRequest> authorization() {
    return authorization;
  }
}
