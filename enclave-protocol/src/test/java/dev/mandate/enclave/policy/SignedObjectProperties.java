package dev.mandate.enclave.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.enclave.ethereum.AuthorizationRequest;
import dev.mandate.enclave.ethereum.Keccak;
import dev.mandate.enclave.ethereum.Rlp;
import dev.mandate.enclave.ethereum.SigningRequest;
import dev.mandate.enclave.ethereum.TransactionRequest;
import dev.mandate.enclave.ethereum.TypedDataRequest;
import java.math.BigInteger;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Generated requests (every transaction type, typed data, 7702 authorizations, personal_sign) in the
 * spellings clients send (snake and camel case, hex / decimal / JSON numbers, nulls for "not set",
 * aliases next to each other): every field the policy engine reads must equal the value re-derived
 * from the signed bytes (the RLP preimage of the transaction digest, the authorization tuple).
 */
class SignedObjectProperties {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final EvaluationContext CTX = EvaluationContext.at(Instant.EPOCH);
  private static final AbiDecoder ERC20 = AbiDecoder.parse(Json.parse(AbiDecoderTest.ERC20_ABI));
  private static final BigInteger U256 = BigInteger.ONE.shiftLeft(256);
  private static final List<String> NUMBER_FIELDS = List.of("value", "chain_id", "nonce", "gas_limit", "gas_price",
      "max_fee_per_gas", "max_priority_fee_per_gas", PolicyParser.MAX_FEE, PolicyParser.VALUE_PLUS_MAX_FEE);

  @Provide
  Arbitrary<ObjectNode> transactions() {
    return Arbitraries.randomValue(SignedObjectProperties::transaction);
  }

  @Property(tries = 500)
  void everyTransactionFieldThePolicyReadsIsTheSignedOne(@ForAll("transactions") final ObjectNode body) {
    final TransactionRequest tx = (TransactionRequest) SigningRequest.parseRpc("eth_signTransaction", body);
    final PolicyInput input = PolicyInput.of("eth_signTransaction", tx);
    final Signed signed = Signed.decode(tx.unsignedSerialization());

    assertThat(read(input, "to").value().map(FieldValue::text))
        .isEqualTo(signed.to.length == 0 ? Optional.empty() : Optional.of(hex(signed.to)));
    for (final String field : NUMBER_FIELDS) {
      final Reading reading = read(input, field);
      final Optional<BigInteger> expected = signed.number(field);
      assertThat(reading.unreadable()).as(field).isEqualTo(expected.isEmpty());
      assertThat(reading.value().map(v -> new BigInteger(v.text()))).as(field).isEqualTo(expected);
    }
    final Reading function = FieldReader.read(FieldSource.ETHEREUM_CALLDATA, PolicyParser.FUNCTION_NAME, Optional.of(ERC20),
        Optional.empty(), input, CTX);
    assertThat(function.value().map(FieldValue::text)).isEqualTo(ERC20.function(signed.data).map(AbiDecoder.Function::name));
    if (signed.data.length >= 4 && ERC20.decode(signed.data).isPresent()
        && ERC20.function(signed.data).orElseThrow().name().equals("transfer")) {
      final Reading amount = FieldReader.read(FieldSource.ETHEREUM_CALLDATA, "transfer.amount", Optional.of(ERC20),
          Optional.empty(), input, CTX);
      assertThat(amount.value().map(v -> new BigInteger(v.text())))
          .contains(new BigInteger(1, java.util.Arrays.copyOfRange(signed.data, 36, 68)));
    }
  }

  @Provide
  Arbitrary<ObjectNode> authorizations() {
    return Arbitraries.randomValue(random -> {
      final ObjectNode params = JSON.objectNode();
      params.put("contract", address(random));
      params.set("chain_id", number(random, BigInteger.valueOf(random.nextInt(3) == 0 ? 0 : random.nextInt(100_000)), random));
      if (random.nextBoolean()) {
        params.set("nonce", number(random, BigInteger.valueOf(random.nextLong() & Long.MAX_VALUE), random));
      } else if (random.nextBoolean()) {
        params.putNull("nonce");
      }
      final ObjectNode body = JSON.objectNode().put("method", "eth_sign7702Authorization");
      body.set("params", params);
      return body;
    });
  }

  @Property(tries = 300)
  void authorizationFieldsReproduceTheSignedTuple(@ForAll("authorizations") final ObjectNode body) {
    final AuthorizationRequest request = (AuthorizationRequest) SigningRequest.parseRpc("eth_sign7702Authorization", body);
    final PolicyInput input = PolicyInput.of("eth_sign7702Authorization", request);
    final Reading contract = FieldReader.read(FieldSource.ETHEREUM_7702_AUTHORIZATION, "contract", Optional.empty(),
        Optional.empty(), input, CTX);
    final Reading chain = FieldReader.read(FieldSource.ETHEREUM_7702_AUTHORIZATION, "chain_id", Optional.empty(),
        Optional.empty(), input, CTX);
    final Reading nonce = FieldReader.read(FieldSource.ETHEREUM_7702_AUTHORIZATION, "nonce", Optional.empty(),
        Optional.empty(), input, CTX);
    final BigInteger chainId = chain.value().map(v -> new BigInteger(v.text())).orElse(BigInteger.ZERO);
    assertThat(chain.unreadable()).as("chain id 0 (every chain) is unknown").isEqualTo(chainId.signum() == 0);
    final byte[] tuple = Rlp.encodeList(Rlp.encodeQuantity(chainId),
        Rlp.encodeBytes(HexFormat.of().parseHex(contract.value().orElseThrow().text().substring(2))),
        Rlp.encodeQuantity(new BigInteger(nonce.value().orElseThrow().text())));
    assertThat(Keccak.keccak256(new byte[] {0x05}, tuple)).isEqualTo(request.digest());
  }

  @Provide
  Arbitrary<ObjectNode[]> typedData() {
    return Arbitraries.randomValue(SignedObjectProperties::typedDataPair);
  }

  /**
   * A Mail in a canonical spelling and in a variant (camelCase primaryType next to a null
   * primary_type, undeclared message members, numbers as other encodings): the same digest, and the
   * policy reads the same values from both, those of the declared types.
   */
  @Property(tries = 300)
  void typedDataAliasesAndUndeclaredMembersChangeNeitherDigestNorPolicyView(@ForAll("typedData") final ObjectNode[] pair) {
    final TypedDataRequest canonical = (TypedDataRequest) SigningRequest.parseRpc("eth_signTypedData_v4", pair[0]);
    final TypedDataRequest variant = (TypedDataRequest) SigningRequest.parseRpc("eth_signTypedData_v4", pair[1]);
    assertThat(variant.digest()).isEqualTo(canonical.digest());
    final TypedDataSchema schema = TypedDataSchema.parse(Json.parse("{\"types\":" + Fixtures.MAIL_TYPES + ",\"primary_type\":\"Mail\"}"));
    for (final String path : List.of("to.wallet", "from.name", "amount", "contents", "cc.0.wallet")) {
      final Reading a = FieldReader.read(FieldSource.ETHEREUM_TYPED_DATA_MESSAGE, path, Optional.empty(), Optional.of(schema),
          PolicyInput.of("eth_signTypedData_v4", canonical), CTX);
      final Reading b = FieldReader.read(FieldSource.ETHEREUM_TYPED_DATA_MESSAGE, path, Optional.empty(), Optional.of(schema),
          PolicyInput.of("eth_signTypedData_v4", variant), CTX);
      assertThat(b).as(path).isEqualTo(a);
    }
    final JsonNode message = pair[0].path("params").path("typed_data").path("message");
    assertThat(FieldReader.read(FieldSource.ETHEREUM_TYPED_DATA_MESSAGE, "to.wallet", Optional.empty(), Optional.of(schema),
        PolicyInput.of("eth_signTypedData_v4", variant), CTX).value().orElseThrow().text())
        .isEqualToIgnoringCase(message.path("to").path("wallet").asText());
    final Reading chain = FieldReader.read(FieldSource.ETHEREUM_TYPED_DATA_DOMAIN, "chainId", Optional.empty(), Optional.empty(),
        PolicyInput.of("eth_signTypedData_v4", variant), CTX);
    final boolean declared = pair[1].path("params").path("typed_data").path("types").path("EIP712Domain").toString().contains("chainId")
        || !pair[1].path("params").path("typed_data").path("types").has("EIP712Domain");
    assertThat(chain.unreadable()).isEqualTo(!declared);
  }

  @Property(tries = 100)
  void personalSignCarriesNoTransactionTypedDataOrAuthorizationFields(@ForAll final String message) {
    final ObjectNode body = JSON.objectNode().put("method", "personal_sign");
    body.putObject("params").put("message", message.replaceAll("[\\uD800-\\uDFFF]", "?")).put("encoding", "utf-8");
    final PolicyInput input = PolicyInput.of("personal_sign", SigningRequest.parseRpc("personal_sign", body));
    for (final FieldSource source : List.of(FieldSource.ETHEREUM_TRANSACTION, FieldSource.ETHEREUM_TYPED_DATA_DOMAIN,
        FieldSource.ETHEREUM_7702_AUTHORIZATION)) {
      assertThat(FieldReader.read(source, "chain_id", Optional.empty(), Optional.empty(), input, CTX)).isEqualTo(Reading.ABSENT);
    }
  }

  // ---- generators -------------------------------------------------------------------------

  private static ObjectNode transaction(final Random random) {
    final int type = List.of(0, 1, 2, 4).get(random.nextInt(4));
    final boolean camel = random.nextBoolean();
    final ObjectNode tx = JSON.objectNode();
    if (random.nextBoolean() || type == 0) {
      tx.set("type", number(random, BigInteger.valueOf(type), random));
    }
    final boolean noChain = type == 0 && random.nextInt(4) == 0;
    if (!noChain) {
      tx.set(camel ? "chainId" : "chain_id", number(random, BigInteger.valueOf(1 + random.nextInt(1_000_000)), random));
    } else if (random.nextBoolean()) {
      tx.putNull("chain_id");
    }
    tx.set("nonce", number(random, BigInteger.valueOf(random.nextLong() & Long.MAX_VALUE), random));
    tx.set(camel ? "gasLimit" : "gas_limit", number(random, BigInteger.valueOf(random.nextLong() & Long.MAX_VALUE), random));
    if (type < 2) {
      tx.set(camel ? "gasPrice" : "gas_price", number(random, big(random), random));
    } else {
      tx.set(camel ? "maxFeePerGas" : "max_fee_per_gas", number(random, big(random), random));
      tx.set(camel ? "maxPriorityFeePerGas" : "max_priority_fee_per_gas", number(random, big(random), random));
    }
    if (type == 4 || random.nextInt(5) > 0) {
      tx.put("to", address(random));
    } else if (random.nextBoolean()) {
      tx.putNull("to");
    }
    if (random.nextInt(4) > 0) {
      tx.set("value", number(random, big(random), random));
    }
    tx.put("data", data(random));
    if (type == 4) {
      final ObjectNode auth = tx.putArray(camel ? "authorizationList" : "authorization_list").addObject();
      auth.set("chain_id", number(random, BigInteger.valueOf(random.nextInt(10)), random));
      auth.put("address", address(random));
      auth.set("nonce", number(random, BigInteger.valueOf(random.nextInt(1000)), random));
      auth.put("y_parity", random.nextInt(2));
      auth.put("r", "0x" + new BigInteger(255, random).toString(16));
      auth.put("s", "0x" + new BigInteger(255, random).toString(16));
    }
    final ObjectNode body = JSON.objectNode().put("method", "eth_signTransaction");
    if (noChain) {
      body.put("allow_pre_eip155", true);
    }
    body.putObject("params").set("transaction", tx);
    return body;
  }

  private static ObjectNode[] typedDataPair(final Random random) {
    final String to = address(random);
    final BigInteger amount = big(random);
    final boolean declareDomain = random.nextBoolean();
    final boolean declareChain = random.nextBoolean();
    final ObjectNode[] pair = new ObjectNode[2];
    for (int i = 0; i < 2; i++) {
      final boolean variant = i == 1;
      final ObjectNode td = JSON.objectNode();
      final ObjectNode domain = td.putObject("domain").put("name", "Ether Mail").put("chainId", 1 + random.nextInt(10))
          .put("verifyingContract", "0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC");
      final ObjectNode types = (ObjectNode) Json.parse(Fixtures.MAIL_TYPES);
      if (declareDomain) {
        final var members = types.putArray("EIP712Domain");
        members.addObject().put("name", "name").put("type", "string");
        if (declareChain) {
          members.addObject().put("name", "chainId").put("type", "uint256");
        }
      }
      td.set("types", types);
      if (variant) {
        td.putNull("primary_type");
        td.put("primaryType", "Mail");
      } else {
        td.put("primary_type", "Mail");
      }
      final ObjectNode message = td.putObject("message");
      message.putObject("from").put("name", "Cow").put("wallet", "0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826");
      message.putObject("to").put("name", "Bob").put("wallet", variant ? to.toUpperCase().replace("0X", "0x") : to);
      message.put("contents", "hi");
      message.set("amount", variant ? number(random, amount, random) : JSON.textNode(amount.toString()));
      message.putArray("cc").addObject().put("name", "A").put("wallet", to);
      if (variant) {
        // Undeclared members: not signed, and never read by the policy.
        message.put("spender", address(random));
        ((ObjectNode) message.get("to")).put("wallet2", address(random));
      }
      pair[i] = JSON.objectNode().put("method", "eth_signTypedData_v4");
      pair[i].putObject("params").set("typed_data", td);
    }
    // Seeded per pair: the domain's chainId must match in both.
    pair[1].with("params").with("typed_data").set("domain", pair[0].path("params").path("typed_data").path("domain"));
    return pair;
  }

  /** A quantity as clients send it: 0x hex, decimal string, or a JSON integer when exactly representable. */
  private static JsonNode number(final Random random, final BigInteger value, final Random r) {
    return switch (r.nextInt(3)) {
      case 0 -> JSON.textNode("0x" + value.toString(16));
      case 1 -> JSON.textNode(value.toString());
      default -> value.bitLength() <= 53 ? JSON.numberNode(value) : JSON.textNode("0x" + value.toString(16));
    };
  }

  private static BigInteger big(final Random random) {
    return switch (random.nextInt(4)) {
      case 0 -> BigInteger.ZERO;
      case 1 -> U256.subtract(BigInteger.ONE);
      default -> new BigInteger(random.nextInt(256) + 1, random);
    };
  }

  private static String address(final Random random) {
    final byte[] bytes = new byte[20];
    random.nextBytes(bytes);
    return "0x" + HexFormat.of().formatHex(bytes);
  }

  private static String data(final Random random) {
    if (random.nextBoolean()) {
      return "0xa9059cbb" + "0".repeat(24) + address(random).substring(2) + String.format("%064x", new BigInteger(200, random));
    }
    final byte[] bytes = new byte[random.nextInt(80)];
    random.nextBytes(bytes);
    return "0x" + HexFormat.of().formatHex(bytes);
  }

  private static Reading read(final PolicyInput input, final String field) {
    return FieldReader.read(FieldSource.ETHEREUM_TRANSACTION, field, Optional.empty(), Optional.empty(), input, CTX);
  }

  private static String hex(final byte[] bytes) {
    return "0x" + HexFormat.of().formatHex(bytes);
  }

  /** The fields of a transaction's signing preimage, decoded from its bytes. */
  private record Signed(Optional<BigInteger> chainId, BigInteger nonce, Optional<BigInteger> gasPrice,
      Optional<BigInteger> maxFee, Optional<BigInteger> maxPriority, BigInteger gasLimit, byte[] to, BigInteger value,
      byte[] data) {
    @SuppressWarnings("unchecked")
    static Signed decode(final byte[] unsigned) {
      final int type = (unsigned[0] & 0xff) < 0x7f ? unsigned[0] : 0;
      final List<Object> f = (List<Object>) RlpReader.decode(unsigned, type == 0 ? 0 : 1);
      return switch (type) {
        case 0 -> new Signed(f.size() == 9 ? Optional.of(RlpReader.quantity(f.get(6))) : Optional.empty(),
            RlpReader.quantity(f.get(0)), Optional.of(RlpReader.quantity(f.get(1))), Optional.empty(), Optional.empty(),
            RlpReader.quantity(f.get(2)), (byte[]) f.get(3), RlpReader.quantity(f.get(4)), (byte[]) f.get(5));
        case 1 -> new Signed(Optional.of(RlpReader.quantity(f.get(0))), RlpReader.quantity(f.get(1)),
            Optional.of(RlpReader.quantity(f.get(2))), Optional.empty(), Optional.empty(), RlpReader.quantity(f.get(3)),
            (byte[]) f.get(4), RlpReader.quantity(f.get(5)), (byte[]) f.get(6));
        default -> new Signed(Optional.of(RlpReader.quantity(f.get(0))), RlpReader.quantity(f.get(1)), Optional.empty(),
            Optional.of(RlpReader.quantity(f.get(3))), Optional.of(RlpReader.quantity(f.get(2))), RlpReader.quantity(f.get(4)),
            (byte[]) f.get(5), RlpReader.quantity(f.get(6)), (byte[]) f.get(7));
      };
    }

    Optional<BigInteger> number(final String field) {
      final Optional<BigInteger> fee = maxFee.or(() -> gasPrice).map(gasLimit::multiply);
      return switch (field) {
        case "value" -> Optional.of(value);
        case "chain_id" -> chainId;
        case "nonce" -> Optional.of(nonce);
        case "gas_limit" -> Optional.of(gasLimit);
        case "gas_price" -> gasPrice;
        case "max_fee_per_gas" -> maxFee;
        case "max_priority_fee_per_gas" -> maxPriority;
        case PolicyParser.MAX_FEE -> fee;
        default -> fee.map(value::add);
      };
    }
  }
}
