package dev.mandate.enclave;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mandate.enclave.authorization.AuthorizationPayload;
import dev.mandate.enclave.authorization.ExactNumbers;
import dev.mandate.enclave.authorization.P256PublicKey;
import dev.mandate.enclave.authorization.SignatureHeader;
import dev.mandate.enclave.ethereum.SigningRequest;
import dev.mandate.enclave.jwt.InvalidJwtException;
import dev.mandate.enclave.jwt.JwtSettings;
import dev.mandate.enclave.jwt.JwtVerifier;
import dev.mandate.enclave.policy.AbiDecoder;
import dev.mandate.enclave.policy.EvaluationContext;
import dev.mandate.enclave.policy.Policy;
import dev.mandate.enclave.policy.PolicyEngine;
import dev.mandate.enclave.policy.PolicyInput;
import dev.mandate.enclave.policy.PolicyParser;
import dev.mandate.enclave.solana.MalformedTransactionException;
import dev.mandate.enclave.solana.SolanaMessage;
import dev.mandate.enclave.solana.SolanaPolicyEngine;
import dev.mandate.enclave.solana.SolanaRequest;
import dev.mandate.enclave.solana.SolanaTransaction;
import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One fuzz target per parser (docs/fuzzing.md). Each may refuse its input only with the enclave's
 * own exception for that input (→ a 4xx); any other exception is a finding (it would be a 500).
 * Under plain JUnit (CI) each target runs its seed corpus in
 * {@code src/test/resources/dev/mandate/enclave/ParserFuzzTestInputs/<target>/}; with
 * {@code JAZZER_FUZZ=1} Jazzer mutates inputs for {@code maxDuration}.
 */
class ParserFuzzTest {
  /** The enclave's request reader: floats as written, duplicates refused, bounded. */
  private static final ObjectMapper JSON = JsonMapper.builder(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64).maxNumberLength(100)
          .maxStringLength(1 << 20).build()).build())
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build();
  private static final List<String> METHODS = List.of("eth_signTransaction", "eth_sendTransaction", "eth_signTypedData_v4",
      "personal_sign", "secp256k1_sign", "eth_sign7702Authorization", "raw_sign");
  private static final String ERC20 = "[{\"type\":\"function\",\"name\":\"transfer\",\"inputs\":[{\"name\":\"to\",\"type\":"
      + "\"address\"},{\"name\":\"amount\",\"type\":\"uint256\"}]},{\"type\":\"function\",\"name\":\"multi\",\"inputs\":["
      + "{\"name\":\"xs\",\"type\":\"uint8[]\"},{\"name\":\"t\",\"type\":\"tuple\",\"components\":[{\"name\":\"s\",\"type\":"
      + "\"string\"},{\"name\":\"b\",\"type\":\"bytes\"},{\"name\":\"a\",\"type\":\"address[2]\"}]},{\"name\":\"i\",\"type\":\"int24\"}]}]";
  private static final AbiDecoder ABI = AbiDecoder.parse(parse(ERC20).orElseThrow());
  private static final Policy POLICY = policy();
  private static final EvaluationContext CTX = EvaluationContext.of(Instant.EPOCH, Map.of("set", List.of("a")), Map.of("agg", java.math.BigInteger.ONE));
  private static final JwtSettings JWT = JwtSettings.jwks(URI.create("https://auth.example/.well-known/jwks.json"),
      "https://auth.example", "mandate-app");
  private static final JwtVerifier VERIFIER = JwtVerifier.create();
  private static final List<String> SOLANA_METHODS = List.of(SolanaRequest.SIGN_MESSAGE, SolanaRequest.SIGN_TRANSACTION,
      SolanaRequest.SIGN_AND_SEND, "eth_signTransaction");
  private static final String SOLANA_WALLET = "4vJ9JU1bJJE96FWSJKvHsmmFADCg4gpZQff4P3bkLKi";
  private static final Policy SOLANA_POLICY = solanaPolicy();

  /** A whole RPC body: parsed as the signer parses it, then judged by a policy that touches every source. */
  @FuzzTest(maxDuration = "5s")
  void rpcRequest(final FuzzedDataProvider data) {
    final String method = data.pickValue(METHODS);
    parse(data.consumeRemainingAsString()).ifPresent(body -> judge(method, body));
  }

  @FuzzTest(maxDuration = "5s")
  void transaction(final FuzzedDataProvider data) {
    final boolean send = data.consumeBoolean();
    final String json = "{\"method\":\"eth_signTransaction\",\"caip2\":\"eip155:1\",\"params\":{\"transaction\":"
        + data.consumeRemainingAsString() + "}}";
    parse(json).ifPresent(body -> judge(send ? "eth_sendTransaction" : "eth_signTransaction", body));
  }

  @FuzzTest(maxDuration = "5s")
  void typedData(final FuzzedDataProvider data) {
    parse("{\"method\":\"eth_signTypedData_v4\",\"params\":{\"typed_data\":" + data.consumeRemainingAsString() + "}}")
        .ifPresent(body -> judge("eth_signTypedData_v4", body));
  }

  /** ABI decoding of calldata (must never throw) and ABI JSON parsing (IllegalArgumentException, turned into 400s). */
  @FuzzTest(maxDuration = "5s")
  void abi(final FuzzedDataProvider data) {
    if (data.consumeBoolean()) {
      parse(data.consumeRemainingAsString()).ifPresent(json -> {
        try {
          AbiDecoder.parse(json);
        } catch (IllegalArgumentException refused) {
          // the policy parser answers 400 invalid_policy_format
        }
      });
      return;
    }
    final byte[] calldata = data.consumeRemainingAsBytes();
    ABI.decode(calldata).ifPresent(call -> call.find(List.of("t", "a", "1")));
    ABI.function(calldata);
  }

  @FuzzTest(maxDuration = "5s")
  void signatureHeader(final FuzzedDataProvider data) {
    try {
      SignatureHeader.parse(data.consumeRemainingAsString());
    } catch (InvalidRequestException refused) {
      // 400
    }
  }

  @FuzzTest(maxDuration = "5s")
  void spkiKey(final FuzzedDataProvider data) {
    try {
      P256PublicKey.parse(data.consumeRemainingAsString());
    } catch (InvalidRequestException refused) {
      // 400
    }
  }

  /** JWT parsing and verification against a fuzzed key set: only InvalidJwtException (→ 401). */
  @FuzzTest(maxDuration = "5s")
  void jwt(final FuzzedDataProvider data) {
    final String jwks = data.consumeString(2000);
    try {
      VERIFIER.verifyWithKeys(data.consumeRemainingAsString(), JWT, Optional.of(jwks));
    } catch (InvalidJwtException refused) {
      // 401
    }
  }

  /** The signature payload of any body: canonicalization and exact-number checks refuse with 400 only. */
  @FuzzTest(maxDuration = "5s")
  void authorizationPayload(final FuzzedDataProvider data) {
    try {
      AuthorizationPayload.of("POST", "https://api.example/v1/wallets/w/rpc", data.consumeRemainingAsString(),
          Map.of("privy-app-id", "app"));
    } catch (InvalidRequestException refused) {
      // 400
    }
  }

  /** Solana wire transactions (legacy and v0): only MalformedTransactionException (→ 400), then every field source judged. */
  @FuzzTest(maxDuration = "5s")
  void solanaTransaction(final FuzzedDataProvider data) {
    final boolean asMessage = data.consumeBoolean();
    final byte[] bytes = data.consumeRemainingAsBytes();
    final Optional<SolanaMessage> message;
    try {
      message = Optional.of(asMessage ? SolanaMessage.parse(bytes) : SolanaTransaction.parse(bytes).message());
    } catch (MalformedTransactionException refused) {
      return; // 400
    }
    message.get().signerSlot(SOLANA_WALLET);
    SolanaPolicyEngine.evaluate(SOLANA_POLICY, SolanaRequest.SIGN_TRANSACTION, message, CTX);
  }

  /** A whole Solana RPC body (base64 inside JSON) as the enclave reads it: only InvalidRequestException (→ 400). */
  @FuzzTest(maxDuration = "5s")
  void solanaRequest(final FuzzedDataProvider data) {
    final String method = data.pickValue(SOLANA_METHODS);
    parse(data.consumeRemainingAsString()).ifPresent(body -> {
      try {
        SolanaRequest.parse(method, body);
      } catch (InvalidRequestException refused) {
        // 400
      }
    });
  }

  /**
   * Every target above in one: the first byte picks one. CI fuzzes this one target for a bounded time
   * (the {@code fuzz-ci} execution in enclave/pom.xml), since each fuzzing JVM pays the instrumentation once.
   */
  @FuzzTest(maxDuration = "30s")
  void allParsers(final FuzzedDataProvider data) {
    switch (Math.floorMod(data.consumeByte(), 10)) {
      case 0 -> rpcRequest(data);
      case 1 -> transaction(data);
      case 2 -> typedData(data);
      case 3 -> abi(data);
      case 4 -> signatureHeader(data);
      case 5 -> spkiKey(data);
      case 6 -> jwt(data);
      case 7 -> authorizationPayload(data);
      case 8 -> solanaTransaction(data);
      default -> solanaRequest(data);
    }
  }

  private static void judge(final String method, final JsonNode body) {
    try {
      ExactNumbers.check(body);
    } catch (InvalidRequestException refused) {
      return;
    }
    try {
      final SigningRequest signing = "raw_sign".equals(method) ? SigningRequest.parseRawSign(body)
          : SigningRequest.parseRpc("eth_sendTransaction".equals(method) ? "eth_signTransaction" : method, body);
      signing.digest();
      PolicyEngine.evaluate(POLICY, PolicyInput.of(method, signing), CTX);
    } catch (InvalidRequestException refused) {
      // 400
    }
    try {
      PolicyEngine.evaluate(POLICY, PolicyInput.parse(method, body), CTX);
    } catch (InvalidRequestException refused) {
      // 400
    }
  }

  private static Optional<JsonNode> parse(final String text) {
    try {
      return Optional.ofNullable(JSON.readTree(text));
    } catch (JsonProcessingException | NumberFormatException notJson) {
      // The request reader answers 400 before any parser sees it (NumberFormatException: a float
      // exponent BigDecimal cannot hold; it was a 500 until the fuzzer found it).
      return Optional.empty();
    }
  }

  private static Policy policy() {
    final String typed = "\"typed_data\":{\"types\":{\"Mail\":[{\"name\":\"to\",\"type\":\"address\"},{\"name\":\"n\","
        + "\"type\":\"uint256[]\"}]},\"primary_type\":\"Mail\"}";
    final String rules = "[{\"name\":\"a\",\"method\":\"*\",\"action\":\"ALLOW\",\"conditions\":["
        + "{\"field_source\":\"ethereum_transaction\",\"field\":\"value_plus_max_fee\",\"operator\":\"lte\",\"value\":\"100\"},"
        + "{\"field_source\":\"ethereum_transaction\",\"field\":\"to\",\"operator\":\"starts_with\",\"value\":\"0x12\"},"
        + "{\"field_source\":\"ethereum_calldata\",\"field\":\"multi.t.s\",\"operator\":\"contains\",\"value\":\"x\",\"abi\":" + ERC20 + "},"
        + "{\"field_source\":\"reference\",\"field\":\"aggregation.agg\",\"operator\":\"lte\",\"value\":\"5\"}]},"
        + "{\"name\":\"d\",\"method\":\"*\",\"action\":\"DENY\",\"conditions\":["
        + "{\"field_source\":\"ethereum_typed_data_message\",\"field\":\"n.3\",\"operator\":\"gt\",\"value\":\"1\"," + typed + "},"
        + "{\"field_source\":\"ethereum_typed_data_domain\",\"field\":\"chainId\",\"operator\":\"in\",\"value\":[\"1\",\"2\"]},"
        + "{\"field_source\":\"ethereum_7702_authorization\",\"field\":\"chain_id\",\"operator\":\"in_condition_set\",\"value\":\"set\"}]}]";
    final AtomicInteger ids = new AtomicInteger();
    return PolicyParser.parsePolicy(parse("{\"version\":\"1.0\",\"name\":\"fuzz\",\"chain_type\":\"ethereum\",\"rules\":" + rules + "}")
        .orElseThrow(), "p", 1L, Optional.empty(), () -> "r" + ids.incrementAndGet());
  }

  /** A Solana policy touching every Solana field source, ALLOW and DENY. */
  private static Policy solanaPolicy() {
    final String rules = "[{\"name\":\"a\",\"method\":\"*\",\"action\":\"ALLOW\",\"conditions\":["
        + "{\"field_source\":\"solana_system_program_instruction\",\"field\":\"Transfer.lamports\",\"operator\":\"lte\",\"value\":\"3000000\"},"
        + "{\"field_source\":\"solana_system_program_instruction\",\"field\":\"Transfer.to\",\"operator\":\"in\",\"value\":[\"" + SOLANA_WALLET + "\"]},"
        + "{\"field_source\":\"solana_program_instruction\",\"field\":\"programId\",\"operator\":\"eq\",\"value\":\"ComputeBudget111111111111111111111111111111\"}]},"
        + "{\"name\":\"d\",\"method\":\"*\",\"action\":\"DENY\",\"conditions\":["
        + "{\"field_source\":\"solana_token_program_instruction\",\"field\":\"TransferChecked.amount\",\"operator\":\"gt\",\"value\":\"5\"},"
        + "{\"field_source\":\"solana_token_program_instruction\",\"field\":\"instructionName\",\"operator\":\"in\",\"value\":[\"TransferChecked\",\"Transfer\"]}]}]";
    final AtomicInteger ids = new AtomicInteger();
    return PolicyParser.parsePolicy(parse("{\"version\":\"1.0\",\"name\":\"fuzz-sol\",\"chain_type\":\"solana\",\"rules\":" + rules + "}")
        .orElseThrow(), "ps", 1L, Optional.empty(), () -> "s" + ids.incrementAndGet());
  }
}
