package dev.mandate.enclave.solana;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.enclave.InvalidRequestException;
import java.util.Base64;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A parsed and validated rpc request for a Solana wallet, as {@code @privy-io/node} sends it:
 * {@code {method, params: {message | transaction, encoding: "base64"}, chain_type?, caip2?, ...}}.
 * The parsed transaction is what the policy reads and exactly what is signed.
 */
public final class SolanaRequest {
  public static final String SIGN_MESSAGE = "signMessage";
  public static final String SIGN_TRANSACTION = "signTransaction";
  public static final String SIGN_AND_SEND = "signAndSendTransaction";
  /** Cluster by CAIP-2 id (the first 32 characters of the genesis hash). */
  public static final Map<String, String> CLUSTERS = Map.of(
      "solana:5eykt4UsFv8P8NJdTREpY1vzqKqZKvdp", "mainnet",
      "solana:EtWTRABZaYq6iMfeYKouRu166VU2xqa1", "devnet",
      "solana:4uhcVJyU9pJkvQyS88uRDiswHXSCkY3z", "testnet");
  /** The largest message {@code signMessage} signs; larger ones are refused, not cut. */
  public static final int MAX_MESSAGE_BYTES = 65_536;
  private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]*={0,2}");

  private final String method;
  private final Optional<byte[]> message;
  private final Optional<SolanaTransaction> transaction;
  private final Optional<String> caip2;
  private final Optional<String> address;

  private SolanaRequest(final String method, final Optional<byte[]> message, final Optional<SolanaTransaction> transaction,
      final Optional<String> caip2, final Optional<String> address) {
    this.method = method;
    this.message = message.map(byte[]::clone);
    this.transaction = transaction;
    this.caip2 = caip2;
    this.address = address;
  }

  /**
   * @throws InvalidRequestException for anything malformed or unsupported, naming the field
   */
  public static SolanaRequest parse(final String method, final JsonNode body) {
    if (!(body instanceof ObjectNode object)) {
      throw invalid("body", "must be an object");
    }
    // Other top-level fields are routing concerns (as for Ethereum) and are ignored; params are strict.
    optionalText(object, "chain_type").filter(c -> !c.equals("solana"))
        .ifPresent(c -> {
          throw invalid("chain_type", "must be \"solana\" for this wallet");
        });
    final Optional<String> address = optionalText(object, "address");
    final JsonNode params = object.get("params");
    if (!(params instanceof ObjectNode p)) {
      throw invalid("params", "is required and must be an object");
    }
    return switch (method) {
      case SIGN_MESSAGE -> new SolanaRequest(method, Optional.of(message(p)), Optional.empty(), noCaip2(object), address);
      case SIGN_TRANSACTION -> new SolanaRequest(method, Optional.empty(), Optional.of(transaction(p)), noCaip2(object), address);
      case SIGN_AND_SEND -> new SolanaRequest(method, Optional.empty(), Optional.of(transaction(p)), Optional.of(send(object)),
          address);
      default -> throw new InvalidRequestException("method " + printable(method) + " is not supported for Solana wallets; "
          + "supported: signMessage, signTransaction, signAndSendTransaction");
    };
  }

  private static byte[] message(final ObjectNode params) {
    allowOnly(params, "params", Set.of("message", "encoding"));
    checkEncoding(params);
    final byte[] bytes = base64(params, "message");
    if (bytes.length > MAX_MESSAGE_BYTES) {
      throw invalid("params.message", "is longer than " + MAX_MESSAGE_BYTES + " bytes");
    }
    return bytes;
  }

  private static SolanaTransaction transaction(final ObjectNode params) {
    allowOnly(params, "params", Set.of("transaction", "encoding"));
    checkEncoding(params);
    final byte[] bytes = base64(params, "transaction");
    try {
      return SolanaTransaction.parse(bytes);
    } catch (MalformedTransactionException e) {
      throw invalid("params.transaction", "is not a Solana transaction: " + e.getMessage());
    }
  }

  private static Optional<String> noCaip2(final ObjectNode body) {
    return optionalText(body, "caip2").map(c -> {
      if (!CLUSTERS.containsKey(c)) {
        throw invalid("caip2", "must be a Solana cluster (" + String.join(", ", CLUSTERS.keySet().stream().sorted().toList()) + ")");
      }
      return c;
    });
  }

  private static String send(final ObjectNode body) {
    final String caip2 = noCaip2(body).orElseThrow(() -> invalid("caip2", "is required for signAndSendTransaction"));
    final JsonNode sponsor = body.get("sponsor");
    if (sponsor != null && !sponsor.isNull() && (!sponsor.isBoolean() || sponsor.booleanValue())) {
      throw invalid("sponsor", "is not supported: Mandate does not pay fees; the fee payer signs and pays");
    }
    if (body.hasNonNull("sponsor_options")) {
      throw invalid("sponsor_options", "is not supported");
    }
    final JsonNode optimistic = body.get("optimistic_broadcast");
    if (optimistic != null && !optimistic.isNull() && !optimistic.isBoolean()) {
      throw invalid("optimistic_broadcast", "must be a boolean");
    }
    optionalText(body, "reference_id").filter(r -> r.length() > 256)
        .ifPresent(r -> {
          throw invalid("reference_id", "must be at most 256 characters");
        });
    return caip2;
  }

  private static void checkEncoding(final ObjectNode params) {
    final JsonNode encoding = params.get("encoding");
    if (encoding == null || !encoding.isTextual() || !encoding.textValue().equals("base64")) {
      throw invalid("params.encoding", "must be \"base64\"");
    }
  }

  /** Standard base64; missing or short {@code =} padding is accepted (Node's Buffer does), anything else refused. */
  static byte[] base64(final ObjectNode params, final String name) {
    final JsonNode node = params.get(name);
    if (node == null || !node.isTextual()) {
      throw invalid("params." + name, "is required and must be a base64 string");
    }
    final String text = node.textValue();
    if (text.length() > 4 * MAX_MESSAGE_BYTES || !BASE64.matcher(text).matches()) {
      throw invalid("params." + name, "is not base64");
    }
    final String bare = text.replaceAll("=+$", "");
    if (bare.length() % 4 == 1) {
      throw invalid("params." + name, "is not base64");
    }
    try {
      return Base64.getDecoder().decode(bare + "==".substring(0, (4 - bare.length() % 4) % 4));
    } catch (IllegalArgumentException e) {
      throw invalid("params." + name, "is not base64");
    }
  }

  public String method() {
    return method;
  }

  /** The message bytes of {@code signMessage} (a copy). */
  public Optional<byte[]> message() {
    return message.map(byte[]::clone);
  }

  public Optional<SolanaTransaction> transaction() {
    return transaction;
  }

  /** The cluster of {@code signAndSendTransaction} (or as given). */
  public Optional<String> caip2() {
    return caip2;
  }

  /** {@code address}, when the caller names the wallet's address too. */
  public Optional<String> address() {
    return address;
  }

  private static Optional<String> optionalText(final ObjectNode object, final String name) {
    final JsonNode node = object.get(name);
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw invalid(name, "must be a string");
    }
    return Optional.of(node.textValue());
  }

  private static void allowOnly(final ObjectNode object, final String path, final Set<String> allowed) {
    final Iterator<String> names = object.fieldNames();
    while (names.hasNext()) {
      final String name = names.next();
      if (!allowed.contains(name)) {
        throw invalid(path + "." + printable(name), "is not a supported field");
      }
    }
  }

  static InvalidRequestException invalid(final String path, final String problem) {
    return new InvalidRequestException(path + " " + problem);
  }

  static ObjectNode object() {
    return JsonNodeFactory.instance.objectNode();
  }

  private static String printable(final String text) {
    final String cut = text.length() > 64 ? text.substring(0, 64) + "..." : text;
    return cut.replaceAll("[^\\x20-\\x7e]", "?");
  }
}
