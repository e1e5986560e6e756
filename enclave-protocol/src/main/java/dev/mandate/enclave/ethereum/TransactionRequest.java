package dev.mandate.enclave.ethereum;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.enclave.InvalidRequestException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code eth_signTransaction}: a legacy (type 0, EIP-155 when it has a chain id), EIP-2930
 * (type 1), EIP-1559 (type 2) or EIP-7702 (type 4) transaction, validated and serialized.
 *
 * <p>Fields are Privy's snake_case; the camelCase spellings viem and ethers objects use are
 * tolerated. Quantities are {@code 0x} hex strings or JSON integers (decimal strings tolerated).
 * Unknown fields are refused: a field we silently dropped (say {@code gas}) would change what the
 * caller thinks they signed. The enclave has no chain access, so nonce, gas limit and fees must be
 * given; {@code value} and {@code data} default to zero and empty, a missing {@code to} creates a
 * contract.
 */
public final class TransactionRequest implements SigningRequest {
  private static final String PATH = "params.transaction";
  private static final Set<String> FIELDS = Set.of(
      "type", "chain_id", "chainId", "nonce", "to", "value", "data", "from",
      "gas_limit", "gasLimit", "gas_price", "gasPrice",
      "max_fee_per_gas", "maxFeePerGas", "max_priority_fee_per_gas", "maxPriorityFeePerGas",
      "access_list", "accessList", "authorization_list", "authorizationList");
  private static final byte[] EMPTY = Rlp.encodeBytes(new byte[0]);

  private final int type;
  private final Optional<BigInteger> chainId;
  private final BigInteger nonce;
  private final BigInteger gasLimit;
  private final Optional<BigInteger> gasPrice;
  private final Optional<BigInteger> maxFeePerGas;
  private final Optional<BigInteger> maxPriorityFeePerGas;
  private final Optional<EthAddress> to;
  private final BigInteger value;
  private final byte[] data;
  private final List<AccessListEntry> accessList;
  private final List<SignedAuthorization> authorizationList;
  private final Optional<EthAddress> from;
  /** RLP items shared by the unsigned and signed forms (everything but the signature). */
  private final List<byte[]> fields;
  private final byte[] unsigned;
  private final byte[] digest;

  private TransactionRequest(final Parsed p) {
    this.type = p.type;
    this.chainId = p.chainId;
    this.nonce = p.nonce.orElseThrow();
    this.gasLimit = p.gasLimit.orElseThrow();
    this.gasPrice = p.gasPrice;
    this.maxFeePerGas = p.maxFeePerGas;
    this.maxPriorityFeePerGas = p.maxPriorityFeePerGas;
    this.to = p.to;
    this.value = p.value;
    this.data = p.data;
    this.accessList = p.accessList;
    this.authorizationList = p.authorizationList;
    this.from = p.from;
    this.fields = Collections.unmodifiableList(encodeFields(p));
    this.unsigned = encodeUnsigned();
    this.digest = Keccak.keccak256(unsigned);
  }

  /**
   * {@code params: {transaction: {...}}}.
   *
   * @param caip2ChainId the body's {@code caip2} chain, used when the transaction names none and
   *     checked against it when it does
   */
  static TransactionRequest parse(final JsonNode params, final Optional<BigInteger> caip2ChainId) {
    return parse(params, caip2ChainId, false);
  }

  /**
   * @param allowNoChainId whether a type 0 transaction may be signed without a chain id (pre-EIP-155,
   *     valid on every chain); refused unless the request opts in
   */
  static TransactionRequest parse(
      final JsonNode params, final Optional<BigInteger> caip2ChainId, final boolean allowNoChainId) {
    final Parsed parsed = Parsed.from(transaction(params), caip2ChainId, true);
    if (parsed.chainId.isEmpty() && !allowNoChainId) {
      throw Fields.invalid(PATH + ".chain_id", "is required: a transaction without a chain id (pre-EIP-155) is valid "
          + "on every chain; give chain_id or caip2, or set \"" + RequestParser.ALLOW_NO_CHAIN_ID + "\": true to sign one");
    }
    return new TransactionRequest(parsed);
  }

  /**
   * The fields a caller set in an {@code eth_sendTransaction} that the host has not filled yet:
   * each present field is validated as for signing, missing ones stay empty.
   */
  static TransactionFields parseUnfilled(final JsonNode params, final Optional<BigInteger> caip2ChainId) {
    return Parsed.from(transaction(params), caip2ChainId, false).fields();
  }

  private static JsonNode transaction(final JsonNode params) {
    Fields.allowOnly(params, "params", Set.of("transaction"));
    final JsonNode tx = Fields.object(Fields.required(params, "transaction", PATH), PATH);
    Fields.allowOnly(tx, PATH, FIELDS);
    return tx;
  }

  /** Every field as signed, for policies. */
  public TransactionFields fields() {
    return new TransactionFields(Optional.of(type), chainId, Optional.of(nonce), Optional.of(gasLimit), gasPrice,
        maxFeePerGas, maxPriorityFeePerGas, to, value, data);
  }

  @Override
  public String method() {
    return "eth_signTransaction";
  }

  /** 0, 1, 2 or 4. */
  public int type() {
    return type;
  }

  /** Empty only for a pre-EIP-155 legacy transaction (replayable on every chain). */
  public Optional<BigInteger> chainId() {
    return chainId;
  }

  public BigInteger nonce() {
    return nonce;
  }

  public BigInteger gasLimit() {
    return gasLimit;
  }

  /** Types 0 and 1. */
  public Optional<BigInteger> gasPrice() {
    return gasPrice;
  }

  /** Types 2 and 4. */
  public Optional<BigInteger> maxFeePerGas() {
    return maxFeePerGas;
  }

  /** Types 2 and 4. */
  public Optional<BigInteger> maxPriorityFeePerGas() {
    return maxPriorityFeePerGas;
  }

  /** The recipient; empty for contract creation. */
  public Optional<EthAddress> to() {
    return to;
  }

  /** Wei sent; zero when the request had no {@code value}. */
  public BigInteger value() {
    return value;
  }

  /** Call data (a copy); empty when the request had none. */
  public byte[] data() {
    return data.clone();
  }

  /** Empty for type 0. */
  public List<AccessListEntry> accessList() {
    return accessList;
  }

  /** The signed EIP-7702 authorizations of a type-4 transaction. */
  public List<SignedAuthorization> authorizationList() {
    return authorizationList;
  }

  /** The sender the caller claims; checked against the key when signing. */
  public Optional<EthAddress> from() {
    return from;
  }

  /** The serialization that is hashed for signing (with the type byte for typed transactions). */
  public byte[] unsignedSerialization() {
    return unsigned.clone();
  }

  @Override
  public byte[] digest() {
    return digest.clone();
  }

  /** The broadcastable transaction carrying {@code signature}. */
  public byte[] signedSerialization(final RecoverableSignature signature) {
    final List<byte[]> items = new ArrayList<>(fields.size() + 3);
    items.addAll(fields);
    items.add(Rlp.encodeQuantity(v(signature)));
    items.add(Rlp.encodeQuantity(signature.r()));
    items.add(Rlp.encodeQuantity(signature.s()));
    return typed(Rlp.encodeList(items));
  }

  /** {@code {"signed_transaction": "0x...", "encoding": "rlp"}}. */
  @Override
  public ObjectNode sign(final DigestSigner key) {
    if (from.isPresent() && !from.get().equals(key.address())) {
      throw Fields.invalid(PATH + ".from", "does not match the wallet's address");
    }
    final ObjectNode data = Responses.object();
    data.put("signed_transaction", Hex.encode(signedSerialization(key.signDigest(digest))));
    data.put("encoding", "rlp");
    return data;
  }

  private BigInteger v(final RecoverableSignature signature) {
    final BigInteger parity = BigInteger.valueOf(signature.yParity());
    if (type != 0) {
      return parity;
    }
    // EIP-155: v = chainId * 2 + 35 + parity; before it, v = 27 + parity.
    return chainId
        .map(id -> id.shiftLeft(1).add(BigInteger.valueOf(35)).add(parity))
        .orElse(BigInteger.valueOf(27).add(parity));
  }

  private byte[] encodeUnsigned() {
    if (type == 0 && chainId.isPresent()) {
      final List<byte[]> items = new ArrayList<>(fields);
      items.add(Rlp.encodeQuantity(chainId.get()));
      items.add(EMPTY);
      items.add(EMPTY);
      return Rlp.encodeList(items);
    }
    return typed(Rlp.encodeList(fields));
  }

  /** EIP-2718: a typed transaction is its type byte followed by its RLP payload. */
  private byte[] typed(final byte[] payload) {
    if (type == 0) {
      return payload;
    }
    final byte[] out = new byte[payload.length + 1];
    out[0] = (byte) type;
    System.arraycopy(payload, 0, out, 1, payload.length);
    return out;
  }

  private static List<byte[]> encodeFields(final Parsed p) {
    final List<byte[]> items = new ArrayList<>(10);
    if (p.type != 0) {
      items.add(Rlp.encodeQuantity(p.chainId.orElseThrow()));
    }
    items.add(Rlp.encodeQuantity(p.nonce.orElseThrow()));
    if (p.type == 0 || p.type == 1) {
      items.add(Rlp.encodeQuantity(p.gasPrice.orElseThrow()));
    } else {
      items.add(Rlp.encodeQuantity(p.maxPriorityFeePerGas.orElseThrow()));
      items.add(Rlp.encodeQuantity(p.maxFeePerGas.orElseThrow()));
    }
    items.add(Rlp.encodeQuantity(p.gasLimit.orElseThrow()));
    items.add(p.to.map(address -> Rlp.encodeBytes(address.toBytes())).orElse(EMPTY));
    items.add(Rlp.encodeQuantity(p.value));
    items.add(Rlp.encodeBytes(p.data));
    if (p.type != 0) {
      items.add(encodeAccessList(p.accessList));
    }
    if (p.type == 4) {
      items.add(Rlp.encodeList(p.authorizationList.stream().map(SignedAuthorization::encode).toList()));
    }
    return items;
  }

  private static byte[] encodeAccessList(final List<AccessListEntry> accessList) {
    final List<byte[]> entries = new ArrayList<>(accessList.size());
    for (final AccessListEntry entry : accessList) {
      final List<byte[]> keys = entry.storageKeys().stream().map(k -> Rlp.encodeBytes(Hex.decode(k))).toList();
      entries.add(Rlp.encodeList(Rlp.encodeBytes(entry.address().toBytes()), Rlp.encodeList(keys)));
    }
    return Rlp.encodeList(entries);
  }

  /** The validated field values, before encoding. */
  private static final class Parsed {
    private int type;
    private boolean typeGiven;
    private Optional<BigInteger> chainId;
    private Optional<BigInteger> nonce;
    private Optional<BigInteger> gasLimit;
    private Optional<BigInteger> gasPrice;
    private Optional<BigInteger> maxFeePerGas;
    private Optional<BigInteger> maxPriorityFeePerGas;
    private Optional<EthAddress> to;
    private BigInteger value;
    private byte[] data;
    private List<AccessListEntry> accessList;
    private List<SignedAuthorization> authorizationList;
    private Optional<EthAddress> from;

    /** @param complete whether nonce, gas limit and fees are required (to sign) or may be left to the host */
    static Parsed from(final JsonNode tx, final Optional<BigInteger> caip2ChainId, final boolean complete) {
      final Parsed p = new Parsed();
      final Optional<Map.Entry<String, JsonNode>> gasPrice = Fields.either(tx, PATH, "gas_price", "gasPrice");
      final Optional<Map.Entry<String, JsonNode>> maxFee = Fields.either(tx, PATH, "max_fee_per_gas", "maxFeePerGas");
      final Optional<Map.Entry<String, JsonNode>> maxPriority =
          Fields.either(tx, PATH, "max_priority_fee_per_gas", "maxPriorityFeePerGas");
      final Optional<Map.Entry<String, JsonNode>> accessList = Fields.either(tx, PATH, "access_list", "accessList");
      final Optional<Map.Entry<String, JsonNode>> authorizations =
          Fields.either(tx, PATH, "authorization_list", "authorizationList");

      final Optional<Integer> givenType = Fields.optional(tx, "type").map(TransactionRequest::type);
      p.typeGiven = givenType.isPresent();
      p.type = givenType.orElseGet(() -> inferType(maxFee.isPresent() || maxPriority.isPresent(), accessList.isPresent(),
              authorizations.isPresent()));
      p.chainId = chainId(tx, caip2ChainId, p.type);
      p.nonce = Fields.optional(tx, "nonce").map(n -> Fields.quantity(n, PATH + ".nonce", 64));
      p.gasLimit = quantity(Fields.either(tx, PATH, "gas_limit", "gasLimit"), 64);
      if (!complete) {
        return p.unfilled(tx, gasPrice, maxFee, maxPriority, accessList, authorizations);
      }
      if (p.nonce.isEmpty()) {
        throw Fields.invalid(PATH + ".nonce", "is required");
      }
      if (p.gasLimit.isEmpty()) {
        throw Fields.invalid(PATH + ".gas_limit", "is required");
      }
      p.to = Fields.optional(tx, "to").map(node -> Fields.address(node, PATH + ".to"));
      p.value = Fields.optional(tx, "value").map(node -> Fields.quantity(node, PATH + ".value", 256))
          .orElse(BigInteger.ZERO);
      p.data = Fields.optional(tx, "data").map(node -> Fields.hexBytes(node, PATH + ".data")).orElse(new byte[0]);
      p.from = Fields.optional(tx, "from").map(node -> Fields.address(node, PATH + ".from"));
      p.fees(gasPrice, maxFee, maxPriority);
      p.accessList = accessList.map(p::accessList).orElse(List.of());
      p.authorizationList = authorizations.map(p::authorizations).orElse(List.of());
      p.checkTypeSpecific();
      return p;
    }

    /** The caller's own fields of an unfilled transaction; the host picks type and fees it left out. */
    private Parsed unfilled(final JsonNode tx, final Optional<Map.Entry<String, JsonNode>> gasPrice,
        final Optional<Map.Entry<String, JsonNode>> maxFee, final Optional<Map.Entry<String, JsonNode>> maxPriority,
        final Optional<Map.Entry<String, JsonNode>> accessList,
        final Optional<Map.Entry<String, JsonNode>> authorizations) {
      to = Fields.optional(tx, "to").map(node -> Fields.address(node, PATH + ".to"));
      value = Fields.optional(tx, "value").map(node -> Fields.quantity(node, PATH + ".value", 256)).orElse(BigInteger.ZERO);
      data = Fields.optional(tx, "data").map(node -> Fields.hexBytes(node, PATH + ".data")).orElse(new byte[0]);
      from = Fields.optional(tx, "from").map(node -> Fields.address(node, PATH + ".from"));
      this.gasPrice = quantity(gasPrice, 256);
      this.maxFeePerGas = quantity(maxFee, 256);
      this.maxPriorityFeePerGas = quantity(maxPriority, 256);
      this.accessList = accessList.map(this::accessList).orElse(List.of());
      this.authorizationList = authorizations.map(this::authorizations).orElse(List.of());
      return this;
    }

    TransactionFields fields() {
      return new TransactionFields(typeGiven ? Optional.of(type) : Optional.empty(), chainId, nonce, gasLimit,
          gasPrice, maxFeePerGas, maxPriorityFeePerGas, to, value, data);
    }

    private void fees(
        final Optional<Map.Entry<String, JsonNode>> gasPrice,
        final Optional<Map.Entry<String, JsonNode>> maxFee,
        final Optional<Map.Entry<String, JsonNode>> maxPriority) {
      if (type == 0 || type == 1) {
        maxFee.or(() -> maxPriority).ifPresent(f -> {
          throw notAllowed(f.getKey(), "use gas_price");
        });
        this.gasPrice = Optional.of(quantity(gasPrice, 256)
            .orElseThrow(() -> Fields.invalid(PATH + ".gas_price", "is required for a type " + type + " transaction")));
        this.maxFeePerGas = Optional.empty();
        this.maxPriorityFeePerGas = Optional.empty();
      } else {
        gasPrice.ifPresent(f -> {
          throw notAllowed(f.getKey(), "use max_fee_per_gas and max_priority_fee_per_gas");
        });
        this.gasPrice = Optional.empty();
        this.maxFeePerGas = Optional.of(quantity(maxFee, 256)
            .orElseThrow(() -> Fields.invalid(PATH + ".max_fee_per_gas", "is required for a type " + type + " transaction")));
        this.maxPriorityFeePerGas = Optional.of(quantity(maxPriority, 256).orElseThrow(
            () -> Fields.invalid(PATH + ".max_priority_fee_per_gas", "is required for a type " + type + " transaction")));
      }
    }

    private void checkTypeSpecific() {
      if (type == 0 && !accessList.isEmpty()) {
        throw notAllowed(PATH + ".access_list", "use type 1 or later");
      }
      if (type != 4 && !authorizationList.isEmpty()) {
        throw notAllowed(PATH + ".authorization_list", "use type 4");
      }
      if (type == 4 && authorizationList.isEmpty()) {
        throw Fields.invalid(PATH + ".authorization_list", "must not be empty in a type 4 transaction");
      }
      if (type == 4 && to.isEmpty()) {
        throw Fields.invalid(PATH + ".to", "is required in a type 4 transaction (it cannot create a contract)");
      }
    }

    private InvalidRequestException notAllowed(final String path, final String hint) {
      return Fields.invalid(path, "is not allowed in a type " + type + " transaction (" + hint + ")");
    }

    private List<AccessListEntry> accessList(final Map.Entry<String, JsonNode> field) {
      final JsonNode list = array(field.getValue(), field.getKey());
      final List<AccessListEntry> entries = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        final String path = field.getKey() + "[" + i + "]";
        final JsonNode entry = Fields.object(list.get(i), path);
        Fields.allowOnly(entry, path, Set.of("address", "storage_keys", "storageKeys"));
        final EthAddress address = Fields.address(Fields.required(entry, "address", path + ".address"), path + ".address");
        final Map.Entry<String, JsonNode> keysField = Fields.either(entry, path, "storage_keys", "storageKeys")
            .orElse(Map.entry(path + ".storage_keys", JsonNodeFactory.instance.arrayNode()));
        final JsonNode keys = array(keysField.getValue(), keysField.getKey());
        final List<String> storageKeys = new ArrayList<>(keys.size());
        for (int k = 0; k < keys.size(); k++) {
          storageKeys.add(Hex.encode(Fields.hexBytes(keys.get(k), keysField.getKey() + "[" + k + "]", 32)));
        }
        entries.add(new AccessListEntry(address, storageKeys));
      }
      return List.copyOf(entries);
    }

    private List<SignedAuthorization> authorizations(final Map.Entry<String, JsonNode> field) {
      final JsonNode list = array(field.getValue(), field.getKey());
      final List<SignedAuthorization> out = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        out.add(authorization(list.get(i), field.getKey() + "[" + i + "]"));
      }
      return List.copyOf(out);
    }

    private static SignedAuthorization authorization(final JsonNode node, final String path) {
      final JsonNode item = Fields.object(node, path);
      Fields.allowOnly(item, path,
          Set.of("chain_id", "chainId", "address", "contract", "nonce", "y_parity", "yParity", "v", "r", "s"));
      final BigInteger chainId = quantity(Fields.either(item, path, "chain_id", "chainId"), 256)
          .orElseThrow(() -> Fields.invalid(path + ".chain_id", "is required"));
      final Map.Entry<String, JsonNode> address = Fields.either(item, path, "address", "contract")
          .orElseThrow(() -> Fields.invalid(path + ".address", "is required"));
      final BigInteger nonce = Fields.quantity(Fields.required(item, "nonce", path + ".nonce"), path + ".nonce", 64);
      final BigInteger r = Fields.quantity(Fields.required(item, "r", path + ".r"), path + ".r", 256);
      final BigInteger s = Fields.quantity(Fields.required(item, "s", path + ".s"), path + ".s", 256);
      return new SignedAuthorization(
          chainId, Fields.address(address.getValue(), address.getKey()), nonce, yParity(item, path), r, s);
    }

    /** {@code y_parity} 0/1, or a legacy {@code v} of 27/28 (or 0/1). */
    private static int yParity(final JsonNode item, final String path) {
      final Optional<Map.Entry<String, JsonNode>> parity = Fields.either(item, path, "y_parity", "yParity");
      final Optional<JsonNode> v = Fields.optional(item, "v");
      if (parity.isPresent() && v.isPresent()) {
        throw Fields.invalid(path + ".v", "cannot be combined with y_parity");
      }
      if (parity.isPresent()) {
        final BigInteger value = Fields.quantity(parity.get().getValue(), parity.get().getKey(), 8);
        if (value.intValue() > 1) {
          throw Fields.invalid(parity.get().getKey(), "must be 0 or 1");
        }
        return value.intValue();
      }
      final int legacy = Fields.quantity(
          v.orElseThrow(() -> Fields.invalid(path + ".y_parity", "is required")), path + ".v", 8).intValue();
      if (legacy != 0 && legacy != 1 && legacy != 27 && legacy != 28) {
        throw Fields.invalid(path + ".v", "must be 27 or 28 (or 0 or 1)");
      }
      return legacy % 27;
    }

    private static JsonNode array(final JsonNode node, final String path) {
      if (!node.isArray()) {
        throw Fields.invalid(path, "must be an array");
      }
      if (node.size() > Fields.MAX_ARRAY_ITEMS) {
        throw Fields.invalid(path, "has too many items (at most " + Fields.MAX_ARRAY_ITEMS + ")");
      }
      return node;
    }
  }

  private static Optional<BigInteger> quantity(final Optional<Map.Entry<String, JsonNode>> field, final int bits) {
    return field.map(f -> Fields.quantity(f.getValue(), f.getKey(), bits));
  }

  private static int type(final JsonNode node) {
    final BigInteger type = Fields.quantity(node, PATH + ".type", 8);
    return switch (type.intValue()) {
      case 0, 1, 2, 4 -> type.intValue();
      case 3 -> throw Fields.invalid(PATH + ".type", "3 (blob transactions) is not supported");
      default -> throw Fields.invalid(PATH + ".type", "must be 0, 1, 2 or 4");
    };
  }

  /** Without {@code type}: 7702 fields mean 4, 1559 fees mean 2, an access list means 1, else 0. */
  private static int inferType(final boolean feeMarket, final boolean accessList, final boolean authorizations) {
    if (authorizations) {
      return 4;
    }
    if (feeMarket) {
      return 2;
    }
    return accessList ? 1 : 0;
  }

  private static Optional<BigInteger> chainId(final JsonNode tx, final Optional<BigInteger> caip2, final int type) {
    final Optional<Map.Entry<String, JsonNode>> field = Fields.either(tx, PATH, "chain_id", "chainId");
    final Optional<BigInteger> given = quantity(field, 64);
    if (given.isPresent() && given.get().signum() == 0) {
      throw Fields.invalid(field.get().getKey(), "must be a positive chain id");
    }
    if (given.isPresent() && caip2.isPresent() && !given.equals(caip2)) {
      throw Fields.invalid(field.get().getKey(), "does not match caip2");
    }
    final Optional<BigInteger> chainId = given.or(() -> caip2);
    if (chainId.isEmpty() && type != 0) {
      throw Fields.invalid(PATH + ".chain_id", "is required for a type " + type + " transaction");
    }
    return chainId;
  }
}
