package dev.mandate.enclave.ethereum;

import static dev.mandate.enclave.ethereum.TestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Known answers for every method, with the Hardhat account #0 key. Expected values were computed
 * independently with ethers 6.17 (Wallet.signMessage / signTypedData / authorize /
 * signTransaction, SigningKey.sign); they are RFC 6979 deterministic, so any correct signer agrees.
 */
class SigningRequestTest {
  static Stream<Secp256k1Backend> backends() {
    return TestSupport.backends();
  }

  private static ObjectNode sign(final String body, final Secp256k1Backend backend) {
    final JsonNode node = json(body);
    final SigningRequest request = SigningRequest.parseRpc(node.get("method").asText(), node);
    try (Secp256k1PrivateKey key = TestSupport.key(TestSupport.HARDHAT_KEY, backend)) {
      return request.sign(key);
    }
  }

  /** Signs with the production backend choice. */
  private static ObjectNode sign(final String body) {
    return sign(body, Secp256k1Backends.preferred());
  }

  private static ObjectNode rawSign(final String body) {
    try (Secp256k1PrivateKey key = TestSupport.hardhat()) {
      return SigningRequest.parseRawSign(json(body)).sign(key);
    }
  }

  @ParameterizedTest
  @MethodSource("backends")
  void personalSignUtf8MatchesEthersSignMessage(final Secp256k1Backend backend) {
    assertThat(sign("""
        {"params":{"message":"hello from privy-node-smoke","encoding":"utf-8"},"method":"personal_sign","chain_type":"ethereum"}""", backend))
        .isEqualTo(json("""
            {"signature":"0xc6d5087bc0e4e9852063e9e0fe0e5574bfbcc74428bc1cad781dc71f127507f53e30ae05112c574a124fe6fac998d7c6b214ea89b9804e8e5ee157b78837b32f1c","encoding":"hex"}"""));
  }

  @Test
  void personalSignCountsUtf8BytesNotCharacters() {
    assertThat(sign("""
        {"method":"personal_sign","params":{"message":"héllo 🚀","encoding":"utf-8"}}""").get("signature").asText())
        .isEqualTo("0xb31ccdee6d3af06184def4d15c4855f89f1aac8d3a9f4c862f3ffdcb29ec57cd3249856a47add323d7f61a220c54cd7ab766c67836ff266f1b6f904e634f280e1c");
    assertThat(sign("""
        {"method":"personal_sign","params":{"message":"","encoding":"utf-8"}}""").get("signature").asText())
        .isEqualTo("0xc1977b761f1dd36c29795783460d241885c8e7f9d962dbe7bba2753fd94e89b444a1cd9ed855dd09afa3b73f7c2bd097ec9abc2d2775d737505a02d3f0cafa591b");
  }

  @Test
  void personalSignHexAcceptsTheMessageWithOrWithoutPrefix() {
    final String expected = "0xa114c834af73872c6c9efe918d85b0b1b34a486d10f9011e2630e28417c828c060dbd65cda67e73d52ebb7c555260621dbc1b0b4036acb61086bba091ac3f1641b";
    assertThat(sign("""
        {"method":"personal_sign","params":{"message":"deadbeef","encoding":"hex"}}""").get("signature").asText())
        .isEqualTo(expected);
    assertThat(sign("""
        {"method":"personal_sign","params":{"message":"0xDEADBEEF","encoding":"hex"}}""").get("signature").asText())
        .isEqualTo(expected);
    final PersonalSignRequest request = (PersonalSignRequest) SigningRequest.parseRpc("personal_sign",
        json("""
            {"params":{"message":"0xdeadbeef","encoding":"hex"}}"""));
    assertThat(request.message()).containsExactly(0xde, 0xad, 0xbe, 0xef);
    assertThat(request.messageText()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("backends")
  void secp256k1SignAndRawSignSignTheHashAsIsWithV(final Secp256k1Backend backend) {
    final String expected = "0x70bbf766ff0fa76f0cb9b162f23010e2080a44381e117e26e5d0289576ab834c7108f7307dae6ab07e1256595f7be2535a1b80d42fc3d12f5e90de8e32711bba1b";
    assertThat(sign("""
        {"params":{"hash":"0xb2304ff1773467a0793a0124b1c488e86a5751fb86db009fcc172faed58a0fb5"},"method":"secp256k1_sign","chain_type":"ethereum"}""", backend))
        .isEqualTo(json("{\"signature\":\"" + expected + "\",\"encoding\":\"hex\"}"));
    assertThat(rawSign("""
        {"params":{"hash":"0xb2304ff1773467a0793a0124b1c488e86a5751fb86db009fcc172faed58a0fb5"}}"""))
        .isEqualTo(json("{\"signature\":\"" + expected + "\",\"encoding\":\"hex\"}"));
  }

  @Test
  void rawSignHashesBytesInEveryEncodingWithTheChosenFunction() {
    assertThat(rawSign("""
        {"params":{"bytes":"hello","encoding":"utf-8","hash_function":"keccak256"}}""").get("signature").asText())
        .isEqualTo("0x73eebf81a611136662d65778960c853fdcaf6eca86793ed9cabc30f2195937af78a07e601627da5b4cc80c0ab35f6894da19b4a01759d90c101d9c9dd1c6745d1b");
    assertThat(rawSign("""
        {"params":{"bytes":"0a0234ea22","encoding":"hex","hash_function":"sha256"}}""").get("signature").asText())
        .isEqualTo("0x8d1c48e30f21bfe8ddd319ce08e6051b448ef34109ee9a0eced265561cbda18c5e6ebe41b100b9b03f75e8dea62c8ed360654355552f439c5c99e2cefa198b6a1b");
    assertThat(rawSign("""
        {"params":{"bytes":"aGVsbG8=","encoding":"base64","hash_function":"sha256"}}""").get("signature").asText())
        .isEqualTo("0xeb5ac08b07a64ad61a604657e019ab24426a5caa91ce1f965b5d0f5dbb071268207b8be8393a7978e2aa87d1ef4ff66cc07d6ffd2353bdc779c862f5bfb5b62e1b");
    final RawSignRequest request = (RawSignRequest) SigningRequest.parseRawSign(json("""
        {"params":{"bytes":"aGVsbG8=","encoding":"base64","hash_function":"sha256"}}"""));
    assertThat(request.bytes()).hasValue("hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    assertThat(request.hashFunction()).contains("sha256");
  }

  @ParameterizedTest
  @MethodSource("backends")
  void typedDataMatchesEthersWithOrWithoutAnExplicitDomainType(final Secp256k1Backend backend) {
    final String expected = "{\"signature\":\"0x6ea8bb309a3401225701f3565e32519f94a0ea91a5910ce9229fe488e773584c0390416a2190d9560219dab757ecca2029e63fa9d1c2aebf676cc25b9f03126a1b\",\"encoding\":\"hex\"}";
    // Exactly what the Privy node SDK sent in the captured request (EIP712Domain included).
    assertThat(sign("""
        {"params":{"typed_data":{"domain":{"name":"Ether Mail","version":"1","chainId":1,"verifyingContract":"0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},{"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],"Person":[{"name":"name","type":"string"},{"name":"wallet","type":"address"}],"Mail":[{"name":"from","type":"Person"},{"name":"to","type":"Person"},{"name":"contents","type":"string"}]},"primary_type":"Mail","message":{"from":{"name":"Cow","wallet":"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},"to":{"name":"Bob","wallet":"0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},"contents":"Hello, Bob!"}}},"method":"eth_signTypedData_v4","chain_type":"ethereum"}""", backend))
        .isEqualTo(json(expected));
    // Same data without EIP712Domain and with camelCase primaryType: the domain type is derived.
    assertThat(sign("""
        {"params":{"typed_data":{"domain":{"verifyingContract":"0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC","chainId":"0x1","version":"1","name":"Ether Mail"},"types":{"Person":[{"name":"name","type":"string"},{"name":"wallet","type":"address"}],"Mail":[{"name":"from","type":"Person"},{"name":"to","type":"Person"},{"name":"contents","type":"string"}]},"primaryType":"Mail","message":{"from":{"name":"Cow","wallet":"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},"to":{"name":"Bob","wallet":"0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},"contents":"Hello, Bob!"}}},"method":"eth_signTypedData_v4"}""", backend))
        .isEqualTo(json(expected));
  }

  @Test
  void typedDataExposesWhatPoliciesNeed() {
    final TypedDataRequest request = (TypedDataRequest) SigningRequest.parseRpc("eth_signTypedData_v4", json("""
        {"method":"eth_signTypedData_v4","params":{"typed_data":{"primary_type":"Greeting","domain":{"name":"Test","version":"1","chainId":1,"verifyingContract":"0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},"types":{"Greeting":[{"name":"text","type":"string"},{"name":"n","type":"uint256"}]},"message":{"text":"hi","n":42}}}}"""));
    assertThat(request.domainChainId()).contains(BigInteger.ONE);
    assertThat(request.verifyingContract()).contains(EthAddress.parse("0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"));
    assertThat(request.primaryType()).isEqualTo("Greeting");
    assertThat(request.types()).containsKeys("Greeting", "EIP712Domain");
    assertThat(request.types().get("EIP712Domain")).extracting(TypedData.Member::name)
        .containsExactly("name", "version", "chainId", "verifyingContract");
    assertThat(request.message().get("n").asInt()).isEqualTo(42);
    assertThat(request.typedData().encodeType("Greeting")).isEqualTo("Greeting(string text,uint256 n)");
    try (Secp256k1PrivateKey key = TestSupport.hardhat()) {
      assertThat(request.sign(key).get("signature").asText()).isEqualTo(
          "0x4e98e6c24849d775b44a19c45e0dbfb4d3ad274f26045e2915e8441925514a9045bfec3790d9ee13814f0e4f143a021629c69c641781eb87a3560553ad7c67591b");
    }
  }

  @Test
  void typedDataDomainValuesOutsideTheDeclaredDomainTypeAreNotReported() {
    // chainId is in the domain object but not in EIP712Domain, so it is not signed: do not report it.
    final TypedDataRequest request = (TypedDataRequest) SigningRequest.parseRpc("eth_signTypedData_v4", json("""
        {"params":{"typed_data":{"primary_type":"M","domain":{"name":"x","chainId":1},"types":{"EIP712Domain":[{"name":"name","type":"string"}],"M":[{"name":"a","type":"uint8"}]},"message":{"a":1}}}}"""));
    assertThat(request.domainChainId()).isEmpty();
    assertThat(request.verifyingContract()).isEmpty();
  }

  @ParameterizedTest
  @MethodSource("backends")
  void eip7702AuthorizationMatchesEthersAuthorize(final Secp256k1Backend backend) {
    assertThat(sign("""
        {"method":"eth_sign7702Authorization","params":{"contract":"0x1234567890abcdef1234567890abcdef12345678","chain_id":1,"nonce":0}}""", backend))
        .isEqualTo(json("""
            {"authorization":{"contract":"0x1234567890abcdef1234567890abcdef12345678","chain_id":1,"nonce":0,"r":"0x2ac8e33a2fc838e862f1396ac274e9254bc894c6a4aa16e133276b2512799d12","s":"0x06a5d32b52fa4e356ee63fbef51baa21f490622083b860a955e5e125713ddf32","y_parity":0}}"""));
    // chain id 0 (any chain), hex quantities, executor "self".
    assertThat(sign("""
        {"method":"eth_sign7702Authorization","params":{"contract":"0x1234567890abcdef1234567890abcdef12345678","chain_id":"0x0","nonce":"0x7","executor":"self"}}""", backend))
        .isEqualTo(json("""
            {"authorization":{"contract":"0x1234567890abcdef1234567890abcdef12345678","chain_id":0,"nonce":7,"r":"0x17d8e6c3a6857dbb781cfe8ab8e985c1d57fac548ab2b9e52ec3590bffeaeef1","s":"0x20e25a1f6825b80b953f21c26375bb795485f92c2ed85f526d5e3e4b68853a61","y_parity":1}}"""));
  }

  @Test
  void eip7702DigestIsKeccakOfMagicAndRlpTupleWithNonceDefaultingToZero() {
    final AuthorizationRequest request = (AuthorizationRequest) SigningRequest.parseRpc("eth_sign7702Authorization", json("""
        {"params":{"contract":"0x1234567890abcdef1234567890abcdef12345678","chain_id":1}}"""));
    assertThat(Hex.encode(request.digest())).isEqualTo("0x5a5e37c4971dd97c6ccdde849f05eb09a986c65482671ea26a30f2f0e9ef2875");
    assertThat(request.nonce()).isZero();
    assertThat(request.chainId()).isEqualTo(BigInteger.ONE);
  }

  @ParameterizedTest
  @MethodSource("backends")
  void type4TransactionMatchesEthers(final Secp256k1Backend backend) {
    final String body = """
        {"method":"eth_signTransaction","params":{"transaction":{"type":4,"chain_id":11155111,"nonce":5,
          "to":"0x000000000000000000000000000000000000dEaD","value":1000,"data":"0xabcdef","gas_limit":100000,
          "max_fee_per_gas":"30000000000","max_priority_fee_per_gas":"0x3b9aca00",
          "access_list":[{"address":"0x000000000000000000000000000000000000dEaD","storage_keys":["0x0000000000000000000000000000000000000000000000000000000000000001"]}],
          "authorization_list":[{"chain_id":11155111,"contract":"0x1234567890abcdef1234567890abcdef12345678","nonce":6,"y_parity":0,
            "r":"0x2ac8e33a2fc838e862f1396ac274e9254bc894c6a4aa16e133276b2512799d12","s":"0x06a5d32b52fa4e356ee63fbef51baa21f490622083b860a955e5e125713ddf32"}]}}}""";
    final TransactionRequest request = (TransactionRequest) SigningRequest.parseRpc("eth_signTransaction", json(body));
    assertThat(Hex.encode(request.unsignedSerialization())).isEqualTo("0x04f8cb83aa36a705843b9aca008506fc23ac00830186a094000000000000000000000000000000000000dead8203e883abcdeff838f794000000000000000000000000000000000000deade1a00000000000000000000000000000000000000000000000000000000000000001f85ff85d83aa36a7941234567890abcdef1234567890abcdef123456780680a02ac8e33a2fc838e862f1396ac274e9254bc894c6a4aa16e133276b2512799d12a006a5d32b52fa4e356ee63fbef51baa21f490622083b860a955e5e125713ddf32");
    assertThat(Hex.encode(request.digest())).isEqualTo("0x35b8bfb83fcfa120d6d581c8aaef32ba4e5e32778096ad4efb4096aae61bf4b4");
    // r begins with a zero byte here, so this also checks that r is encoded as a minimal integer.
    assertThat(sign(body, backend)).isEqualTo(json("""
        {"signed_transaction":"0x04f9010d83aa36a705843b9aca008506fc23ac00830186a094000000000000000000000000000000000000dead8203e883abcdeff838f794000000000000000000000000000000000000deade1a00000000000000000000000000000000000000000000000000000000000000001f85ff85d83aa36a7941234567890abcdef1234567890abcdef123456780680a02ac8e33a2fc838e862f1396ac274e9254bc894c6a4aa16e133276b2512799d12a006a5d32b52fa4e356ee63fbef51baa21f490622083b860a955e5e125713ddf32019f4c1dea1d1e6e45394c227b35104a4757a7f7090f9400a59f69b9e4c0c6ce77a07b0f3b1ee67a28206d4ce1a9c9434c1776f9efeb7ca0ca1d6dc8c74398dd989a","encoding":"rlp"}"""));
    assertThat(request.authorizationList()).singleElement().satisfies(auth -> {
      assertThat(auth.address()).isEqualTo(EthAddress.parse("0x1234567890abcdef1234567890abcdef12345678"));
      assertThat(auth.nonce()).isEqualTo(6);
    });
    assertThat(request.accessList()).singleElement()
        .satisfies(entry -> assertThat(entry.storageKeys()).containsExactly("0x" + "00".repeat(31) + "01"));
  }

  @Test
  void type2TransactionFromThePrivySdkCaptureMatchesEthersAndExposesItsFields() {
    final String body = """
        {"params":{"transaction":{"type":2,"chain_id":11155111,"nonce":0,"to":"0x000000000000000000000000000000000000dEaD","value":"0x2386f26fc10000","gas_limit":21000,"max_fee_per_gas":"0x4a817c800","max_priority_fee_per_gas":"0x3b9aca00"}},"method":"eth_signTransaction","chain_type":"ethereum"}""";
    assertThat(sign(body, NativeSecp256k1Backend.load()).get("signed_transaction").asText()).isEqualTo(
        "0x02f87583aa36a780843b9aca008504a817c80082520894000000000000000000000000000000000000dead872386f26fc1000080c001a0f4cb1b5d7991eae39910844dbf1c06986a106c5819122edd57e2dea35e1a8708a068abbf9b752777f3b34503f7265de22cd63f5c658a2e97717db63107eecebec9");
    final TransactionRequest request = (TransactionRequest) SigningRequest.parseRpc("eth_signTransaction", json(body));
    assertThat(request.type()).isEqualTo(2);
    assertThat(request.chainId()).contains(BigInteger.valueOf(11155111));
    assertThat(request.to()).contains(EthAddress.parse("0x000000000000000000000000000000000000dEaD"));
    assertThat(request.value()).isEqualTo(new BigInteger("10000000000000000"));
    assertThat(request.data()).isEmpty();
    assertThat(request.gasPrice()).isEmpty();
    assertThat(request.maxFeePerGas()).contains(new BigInteger("20000000000"));
  }

  @Test
  void legacyTransactionWithChainIdUsesEip155AndQuantitySpellingsAgree() {
    final String expected = "0xf86303843b9aca0082520894000000000000000000000000000000000000dead018025a003657e2c7e63c42a29a8f73cf679057e38157b83ebce70769e663b94c3dceb34a0523fa246dafbab27383591901da1cf05c36987d3b21fc30eeac7371396013203";
    for (final String quantities : new String[] {
        "\"nonce\":3,\"value\":1,\"gas_limit\":21000,\"gas_price\":\"0x3b9aca00\"",
        "\"nonce\":\"0x3\",\"value\":\"0x01\",\"gas_limit\":\"0x5208\",\"gas_price\":1000000000",
        "\"nonce\":\"3\",\"value\":\"1\",\"gasLimit\":\"21000\",\"gasPrice\":\"1000000000\""}) {
      assertThat(sign("{\"method\":\"eth_signTransaction\",\"params\":{\"transaction\":{\"type\":0,\"chain_id\":1,"
          + "\"to\":\"0x000000000000000000000000000000000000dEaD\"," + quantities + "}}}")
          .get("signed_transaction").asText()).as(quantities).isEqualTo(expected);
    }
  }

  @Test
  void caip2SuppliesTheChainIdWhenTheTransactionHasNone() {
    final TransactionRequest request = (TransactionRequest) SigningRequest.parseRpc("eth_signTransaction", json("""
        {"caip2":"eip155:8453","params":{"transaction":{"nonce":0,"gas_limit":21000,"max_fee_per_gas":2,"max_priority_fee_per_gas":1}}}"""));
    assertThat(request.chainId()).contains(BigInteger.valueOf(8453));
    assertThat(request.to()).isEmpty();
  }

  @Test
  void transactionTypeIsInferredFromItsFields() {
    assertThat(typeOf("\"gas_price\":1")).isEqualTo(0);
    assertThat(typeOf("\"gas_price\":1,\"access_list\":[]")).isEqualTo(1);
    assertThat(typeOf("\"maxFeePerGas\":2,\"maxPriorityFeePerGas\":1")).isEqualTo(2);
    assertThat(typeOf("\"max_fee_per_gas\":2,\"max_priority_fee_per_gas\":1,\"to\":\"0x000000000000000000000000000000000000dEaD\","
        + "\"authorization_list\":[{\"chain_id\":1,\"address\":\"0x1234567890abcdef1234567890abcdef12345678\",\"nonce\":0,\"v\":28,\"r\":\"0x1\",\"s\":\"0x2\"}]"))
        .isEqualTo(4);
  }

  @Test
  void fromIsAcceptedWhenItIsTheWalletsAddress() {
    assertThat(sign("""
        {"method":"eth_signTransaction","params":{"transaction":{"from":"0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266","chain_id":1,"nonce":0,"gas_limit":21000,"gas_price":1}}}""")
        .get("signed_transaction").asText()).startsWith("0xf8");
  }

  private static int typeOf(final String fees) {
    return ((TransactionRequest) SigningRequest.parseRpc("eth_signTransaction",
        json("{\"params\":{\"transaction\":{\"chain_id\":1,\"nonce\":0,\"gas_limit\":21000," + fees + "}}}"))).type();
  }
}
