package dev.mandate.enclave.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AbiDecoderTest {
  static final String ERC20_ABI = """
      [{"type":"function","name":"transfer","inputs":[{"name":"to","type":"address"},{"name":"amount","type":"uint256"}],
        "outputs":[{"name":"","type":"bool"}],"stateMutability":"nonpayable"},
       {"type":"function","name":"approve","inputs":[{"name":"spender","type":"address"},{"name":"amount","type":"uint256"}]},
       {"type":"function","name":"totalSupply","inputs":[],"outputs":[{"name":"","type":"uint256"}]},
       {"type":"event","name":"Transfer","inputs":[{"name":"from","type":"address","indexed":true}]}]""";
  static final String RECIPIENT = "0x833589fcd6edb6e08f4c7c32d4f71b54bda02913";
  static final BigInteger MAX_UINT256 = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);

  private static final AbiDecoder ERC20 = AbiDecoder.parse(Json.parse(ERC20_ABI));

  @Test
  void computesKnownSelectorsFromCanonicalSignatures() {
    assertThat(ERC20.functions()).extracting(AbiDecoder.Function::signature, AbiDecoder.Function::selector)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("transfer(address,uint256)", "0xa9059cbb"),
            org.assertj.core.groups.Tuple.tuple("approve(address,uint256)", "0x095ea7b3"),
            org.assertj.core.groups.Tuple.tuple("totalSupply()", "0x18160ddd"));
  }

  @Test
  void decodesAnErc20Transfer() {
    final byte[] data = Calldata.call("0xa9059cbb").address(RECIPIENT).uint(1_000_000).bytes();

    final AbiDecoder.Call call = ERC20.decode(data).orElseThrow();

    assertThat(call.function().name()).isEqualTo("transfer");
    assertThat(call.find(List.of("to"))).contains(new FieldValue(FieldValue.Kind.ADDRESS, RECIPIENT));
    assertThat(call.find(List.of("amount"))).contains(FieldValue.number(BigInteger.valueOf(1_000_000)));
    assertThat(call.find(List.of("1"))).as("by position").contains(FieldValue.number(BigInteger.valueOf(1_000_000)));
  }

  @Test
  void decodesAnErc20Approve() {
    final byte[] data = Calldata.call("0x095ea7b3").address(RECIPIENT).uint(MAX_UINT256).bytes();

    final AbiDecoder.Call call = ERC20.decode(data).orElseThrow();

    assertThat(call.function().name()).isEqualTo("approve");
    assertThat(call.find(List.of("spender")).map(FieldValue::text)).contains(RECIPIENT);
    assertThat(call.find(List.of("amount")).map(FieldValue::text)).contains(MAX_UINT256.toString());
  }

  @Test
  void decodesAFunctionWithoutInputs() {
    final AbiDecoder.Call call = ERC20.decode(Calldata.call("0x18160ddd").bytes()).orElseThrow();

    assertThat(call.function().name()).isEqualTo("totalSupply");
    assertThat(call.arguments().values()).isEmpty();
  }

  @Test
  void findsNothingForAnUnknownSelectorOrTooShortData() {
    assertThat(ERC20.decode(Calldata.call("0xdeadbeef").address(RECIPIENT).uint(1).bytes())).isEmpty();
    assertThat(ERC20.decode(new byte[] {(byte) 0xa9, 0x05, (byte) 0x9c})).isEmpty();
    assertThat(ERC20.function(new byte[0])).isEmpty();
  }

  @Test
  void decodesNarrowIntegersThatPrivyNeverMatches() {
    final AbiDecoder abi = AbiDecoder.parse(Json.parse("""
        [{"type":"function","name":"setFee","inputs":[{"name":"bps","type":"uint8"},{"name":"delta","type":"int8"}]}]"""));
    final byte[] data = Calldata.call(abi.functions().get(0).selector()).uint(42).signed(-1).bytes();

    final AbiDecoder.Call call = abi.decode(data).orElseThrow();

    assertThat(abi.functions().get(0).signature()).isEqualTo("setFee(uint8,int8)");
    assertThat(call.find(List.of("bps")).map(FieldValue::text)).contains("42");
    assertThat(call.find(List.of("delta")).map(FieldValue::text)).contains("-1");
  }

  @Test
  void decodesNegativeInt256AsTwosComplement() {
    final AbiDecoder abi = AbiDecoder.parse(Json.parse("""
        [{"name":"adjust","inputs":[{"name":"by","type":"int256"},{"name":"plain","type":"int"}]}]"""));
    final byte[] data = Calldata.call(abi.functions().get(0).selector()).signed(-5).uint(7).bytes();

    assertThat(abi.functions().get(0).signature()).as("int is int256, a missing item type is function")
        .isEqualTo("adjust(int256,int256)");
    assertThat(abi.decode(data).orElseThrow().find(List.of("by")).map(FieldValue::text)).contains("-5");
  }

  @Test
  void readsAddressesAndNarrowIntegersAsLenientContractsDo() {
    // Old Solidity ignores dirty high bits; reading them as such keeps a DENY rule firing.
    final byte[] data = Calldata.call("0xa9059cbb")
        .word("ffffffffffffffffffffffff" + RECIPIENT.substring(2)).uint(5).bytes();

    assertThat(ERC20.decode(data).orElseThrow().find(List.of("to")).map(FieldValue::text)).contains(RECIPIENT);
  }

  @Test
  void decodesDynamicBytesAndString() {
    final AbiDecoder abi = AbiDecoder.parse(Json.parse("""
        [{"type":"function","name":"execute","inputs":[
          {"name":"target","type":"address"},{"name":"payload","type":"bytes"},{"name":"memo","type":"string"}]}]"""));
    final byte[] payload = new byte[40];
    payload[0] = (byte) 0xab;
    payload[39] = 0x01;
    final byte[] data = Calldata.call(abi.functions().get(0).selector())
        .address(RECIPIENT).uint(0x60).uint(0xc0)
        .bytes(payload)
        .string("héllo")
        .bytes();

    final AbiDecoder.Call call = abi.decode(data).orElseThrow();

    assertThat(call.find(List.of("payload"))).contains(new FieldValue(FieldValue.Kind.BYTES,
        "0xab" + "00".repeat(38) + "01"));
    assertThat(call.find(List.of("memo"))).contains(new FieldValue(FieldValue.Kind.TEXT, "héllo"));
    assertThat("héllo".getBytes(StandardCharsets.UTF_8)).hasSize(6);
  }

  @Test
  void decodesDynamicAndFixedArrays() {
    final AbiDecoder abi = AbiDecoder.parse(Json.parse("""
        [{"type":"function","name":"batch","inputs":[
          {"name":"limits","type":"uint256[2]"},{"name":"to","type":"address[]"}]}]"""));
    final byte[] data = Calldata.call(abi.functions().get(0).selector())
        .uint(10).uint(20).uint(0x60)
        .uint(2).address(RECIPIENT).address("0x00000000000000000000000000000000000000aa")
        .bytes();

    final AbiDecoder.Call call = abi.decode(data).orElseThrow();

    assertThat(abi.functions().get(0).signature()).isEqualTo("batch(uint256[2],address[])");
    assertThat(call.find(List.of("limits", "1")).map(FieldValue::text)).contains("20");
    assertThat(call.find(List.of("to", "1")).map(FieldValue::text)).contains("0x00000000000000000000000000000000000000aa");
    assertThat(call.find(List.of("to", "2"))).isEmpty();
    assertThat(call.find(List.of("to"))).as("an array is not a scalar").isEmpty();
  }

  @Test
  void decodesStaticTuplesWithTheirExpandedSignature() {
    // Uniswap V3 SwapRouter.exactInputSingle: a well-known selector of a tuple-typed function.
    final AbiDecoder abi = AbiDecoder.parse(Json.parse("""
        [{"type":"function","name":"exactInputSingle","inputs":[{"name":"params","type":"tuple","components":[
          {"name":"tokenIn","type":"address"},{"name":"tokenOut","type":"address"},{"name":"fee","type":"uint24"},
          {"name":"recipient","type":"address"},{"name":"deadline","type":"uint256"},{"name":"amountIn","type":"uint256"},
          {"name":"amountOutMinimum","type":"uint256"},{"name":"sqrtPriceLimitX96","type":"uint160"}]}]}]"""));
    final byte[] data = Calldata.call("0x414bf389")
        .address(RECIPIENT).address("0x00000000000000000000000000000000000000bb").uint(3000).address(RECIPIENT)
        .uint(1_700_000_000).uint(5_000_000).uint(1).uint(0)
        .bytes();

    final AbiDecoder.Call call = abi.decode(data).orElseThrow();

    assertThat(abi.functions().get(0).signature())
        .isEqualTo("exactInputSingle((address,address,uint24,address,uint256,uint256,uint256,uint160))");
    assertThat(call.find(List.of("params", "amountIn")).map(FieldValue::text)).contains("5000000");
    assertThat(call.find(List.of("params", "fee")).map(FieldValue::text)).contains("3000");
  }

  @Test
  void decodesDynamicTuplesThroughTheirOffset() {
    final AbiDecoder abi = AbiDecoder.parse(Json.parse("""
        [{"type":"function","name":"submit","inputs":[{"name":"order","type":"tuple","components":[
          {"name":"maker","type":"address"},{"name":"note","type":"string"}]},{"name":"flag","type":"bool"}]}]"""));
    final byte[] data = Calldata.call(abi.functions().get(0).selector())
        .uint(0x40).uint(1)
        .address(RECIPIENT).uint(0x40).string("gm")
        .bytes();

    final AbiDecoder.Call call = abi.decode(data).orElseThrow();

    assertThat(abi.functions().get(0).signature()).isEqualTo("submit((address,string),bool)");
    assertThat(call.find(List.of("order", "note")).map(FieldValue::text)).contains("gm");
    assertThat(call.find(List.of("order", "maker")).map(FieldValue::text)).contains(RECIPIENT);
    assertThat(call.find(List.of("flag"))).contains(new FieldValue(FieldValue.Kind.BOOL, "true"));
  }

  @Test
  void rejectsMalformedCalldataWithoutThrowing() {
    final AbiDecoder abi = AbiDecoder.parse(Json.parse("""
        [{"type":"function","name":"f","inputs":[{"name":"xs","type":"uint256[]"},{"name":"b","type":"bytes"}]}]"""));
    final String selector = abi.functions().get(0).selector();

    assertThat(ERC20.decode(Calldata.call("0xa9059cbb").address(RECIPIENT).bytes())).as("truncated").isEmpty();
    assertThat(abi.decode(Calldata.call(selector).uint(0x1000).uint(0x40).uint(0).bytes())).as("offset past end").isEmpty();
    assertThat(abi.decode(Calldata.call(selector).uint(0x40).uint(0x60).uint(1L << 40).uint(0).bytes()))
        .as("array longer than the data").isEmpty();
    assertThat(abi.decode(Calldata.call(selector).uint(0x40).uint(0x60).uint(0).uint(500).bytes()))
        .as("bytes longer than the data").isEmpty();
    assertThat(abi.decode(Calldata.call(selector).word("f".repeat(64)).uint(0).bytes())).as("huge offset").isEmpty();
  }

  @Test
  void boundsDecodingWorkWhenOffsetsAlias() {
    final AbiDecoder abi = AbiDecoder.parse(Json.parse("""
        [{"type":"function","name":"f","inputs":[{"name":"x","type":"uint256[][][]"}]}]"""));

    final AbiDecoder.Call small = abi.decode(aliased(abi, 3)).orElseThrow();
    // 400 x 400 x 400 values from 1,200 words: the work budget stops it instead of the heap.
    final long started = System.nanoTime();

    assertThat(small.find(List.of("x", "2", "1", "0")).map(FieldValue::text)).contains("7");
    assertThat(abi.decode(aliased(abi, 400))).isEmpty();
    assertThat(System.nanoTime() - started).isLessThan(5_000_000_000L);
  }

  /** Every element of the two outer arrays points at the same next-level array of n elements. */
  private static byte[] aliased(final AbiDecoder abi, final int n) {
    final Calldata data = Calldata.call(abi.functions().get(0).selector()).uint(0x20);
    for (int level = 0; level < 2; level++) {
      data.uint(n);
      for (int i = 0; i < n; i++) {
        data.uint(32L * n);
      }
    }
    data.uint(n);
    for (int i = 0; i < n; i++) {
      data.uint(7);
    }
    return data.bytes();
  }

  @Test
  void refusesAbisItCannotDecode() {
    assertThatThrownBy(() -> AbiDecoder.parse(Json.parse("{}"))).hasMessageContaining("JSON array");
    assertThatThrownBy(() -> AbiDecoder.parse(Json.parse("[{'type':'event','name':'E','inputs':[]}]")))
        .hasMessageContaining("no function");
    assertThatThrownBy(() -> AbiDecoder.parse(Json.parse(
        "[{'type':'function','name':'f','inputs':[{'name':'x','type':'fixed128x18'}]}]")))
        .hasMessageContaining("unsupported type");
    assertThatThrownBy(() -> AbiDecoder.parse(Json.parse(
        "[{'type':'function','name':'f','inputs':[{'name':'x','type':'uint7'}]}]")))
        .hasMessageContaining("unsupported type");
    assertThatThrownBy(() -> AbiDecoder.parse(Json.parse(
        "[{'type':'function','name':'f','inputs':[{'name':'x','type':'bytes33'}]}]")))
        .hasMessageContaining("unsupported type");
  }

  @Test
  void knowsWhichParametersAFieldPathNames() {
    assertThat(ERC20.leafKind("transfer", List.of("amount"))).contains(FieldValue.Kind.NUMBER);
    assertThat(ERC20.leafKind("transfer", List.of("to"))).contains(FieldValue.Kind.ADDRESS);
    assertThat(ERC20.leafKind("transfer", List.of("nope"))).isEqualTo(Optional.empty());
    assertThat(ERC20.leafKind("mint", List.of("amount"))).isEmpty();
  }
}
