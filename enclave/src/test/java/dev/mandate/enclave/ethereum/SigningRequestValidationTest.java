package dev.mandate.enclave.ethereum;

import static dev.mandate.enclave.ethereum.TestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.enclave.InvalidRequestException;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

/** Bad input is refused with an {@link InvalidRequestException} that names the offending field. */
class SigningRequestValidationTest {
  private static final String TX_BASE = "\"chain_id\":1,\"nonce\":0,\"gas_limit\":21000,";

  private static AbstractThrowableAssert<?, ? extends Throwable> rpc(final String method, final String body) {
    return assertThatThrownBy(() -> SigningRequest.parseRpc(method, json(body))).isInstanceOf(InvalidRequestException.class);
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> tx(final String fields) {
    return rpc("eth_signTransaction", "{\"params\":{\"transaction\":{" + fields + "}}}");
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> typed(final String typedData) {
    return rpc("eth_signTypedData_v4", "{\"params\":{\"typed_data\":" + typedData + "}}");
  }

  private static AbstractThrowableAssert<?, ? extends Throwable> raw(final String params) {
    return assertThatThrownBy(() -> SigningRequest.parseRawSign(json("{\"params\":" + params + "}")))
        .isInstanceOf(InvalidRequestException.class);
  }

  @Test
  void unknownMethodsAreNamed() {
    rpc("eth_frobnicate", "{\"params\":{}}").hasMessage("method \"eth_frobnicate\" is not supported for Ethereum wallets");
    rpc("eth_sendTransaction", "{\"params\":{}}").hasMessageContaining("eth_sendTransaction");
    rpc("x".repeat(500), "{\"params\":{}}").message().hasSizeLessThan(120);
  }

  @Test
  void bodyLevelFieldsAreChecked() {
    rpc("personal_sign", "[]").hasMessage("body must be an object");
    rpc("personal_sign", "{}").hasMessage("params is required");
    rpc("personal_sign", "{\"params\":\"x\"}").hasMessage("params must be an object");
    rpc("personal_sign", "{\"method\":\"secp256k1_sign\",\"params\":{}}").hasMessage("method does not match the request");
    rpc("personal_sign", "{\"chain_type\":\"solana\",\"params\":{\"message\":\"a\",\"encoding\":\"utf-8\"}}")
        .hasMessageContaining("chain_type");
    rpc("personal_sign", "{\"signature_options\":{\"type\":\"erc1271\"},\"params\":{\"message\":\"a\",\"encoding\":\"utf-8\"}}")
        .hasMessageContaining("signature_options.type");
    tx("\"nonce\":0").hasMessageContaining("params.transaction");
    rpc("eth_signTransaction", "{\"caip2\":\"eip155:01\",\"params\":{\"transaction\":{}}}").hasMessageContaining("caip2");
    rpc("eth_signTransaction", "{\"caip2\":\"solana:abc\",\"params\":{\"transaction\":{}}}").hasMessageContaining("caip2");
    assertThatThrownBy(() -> SigningRequest.parseRpc(null, json("{}"))).hasMessage("method is required");
  }

  @Test
  void personalSignParamsAreValidated() {
    rpc("personal_sign", "{\"params\":{\"message\":\"a\"}}").hasMessage("params.encoding is required");
    rpc("personal_sign", "{\"params\":{\"message\":\"a\",\"encoding\":\"base64\"}}")
        .hasMessage("params.encoding must be \"utf-8\" or \"hex\"");
    rpc("personal_sign", "{\"params\":{\"message\":\"0xabc\",\"encoding\":\"hex\"}}")
        .hasMessage("params.message must be a hex string with an even number of digits");
    rpc("personal_sign", "{\"params\":{\"message\":\"0xzz\",\"encoding\":\"hex\"}}").hasMessageStartingWith("params.message ");
    rpc("personal_sign", "{\"params\":{\"message\":42,\"encoding\":\"utf-8\"}}").hasMessage("params.message must be a string");
    rpc("personal_sign", "{\"params\":{\"message\":\"\\ud800\",\"encoding\":\"utf-8\"}}").hasMessageStartingWith("params.message ");
    rpc("personal_sign", "{\"params\":{\"message\":\"a\",\"encoding\":\"utf-8\",\"address\":\"0x\"}}")
        .hasMessage("params.address is not a supported field");
    rpc("personal_sign", "{\"params\":{\"message\":\"" + "ab".repeat(150_002) + "\",\"encoding\":\"hex\"}}")
        .hasMessage("params.message is too long (at most 300002 characters)");
  }

  @Test
  void hashesMustBeThirtyTwoBytes() {
    rpc("secp256k1_sign", "{\"params\":{\"hash\":\"0x" + "ab".repeat(31) + "\"}}").hasMessage("params.hash must be 32 bytes of hex");
    rpc("secp256k1_sign", "{\"params\":{}}").hasMessage("params.hash is required");
    raw("{\"hash\":\"0x1234\"}").hasMessage("params.hash must be 32 bytes of hex");
  }

  @Test
  void rawSignInputsAreExclusiveAndComplete() {
    raw("{\"hash\":\"0x" + "00".repeat(32) + "\",\"bytes\":\"00\",\"encoding\":\"hex\",\"hash_function\":\"sha256\"}")
        .hasMessageContaining("params.hash cannot be combined");
    raw("{}").hasMessageContaining("either hash, or bytes");
    raw("{\"bytes\":\"00\",\"encoding\":\"hex\"}").hasMessage("params.hash_function is required");
    raw("{\"bytes\":\"00\",\"hash_function\":\"sha256\"}").hasMessage("params.encoding is required");
    raw("{\"bytes\":\"00\",\"encoding\":\"hex\",\"hash_function\":\"blake2b256\"}")
        .hasMessage("params.hash_function blake2b256 is not supported for Ethereum wallets; use keccak256 or sha256");
    raw("{\"bytes\":\"00\",\"encoding\":\"hex\",\"hash_function\":\"md5\"}").hasMessageStartingWith("params.hash_function ");
    raw("{\"bytes\":\"!!!\",\"encoding\":\"base64\",\"hash_function\":\"sha256\"}").hasMessage("params.bytes must be base64");
    raw("{\"bytes\":\"0x0\",\"encoding\":\"hex\",\"hash_function\":\"sha256\"}").hasMessageStartingWith("params.bytes ");
    raw("{\"bytes\":\"00\",\"encoding\":\"latin1\",\"hash_function\":\"sha256\"}").hasMessageStartingWith("params.encoding ");
  }

  @Test
  void transactionQuantitiesMustBeHexOrNonNegativeIntegers() {
    tx("\"chain_id\":1,\"nonce\":0,\"gas_price\":1,\"gas_limit\":\"abc\"")
        .hasMessage("params.transaction.gas_limit must be a hex string or a non-negative integer");
    tx("\"chain_id\":1,\"nonce\":0,\"gas_price\":1,\"gas_limit\":-1")
        .hasMessage("params.transaction.gas_limit must be a hex string or a non-negative integer");
    tx("\"chain_id\":1,\"nonce\":0,\"gas_price\":1,\"gas_limit\":1.5")
        .hasMessage("params.transaction.gas_limit must be a hex string or a non-negative integer");
    tx("\"chain_id\":1,\"nonce\":0,\"gas_price\":1,\"gas_limit\":true")
        .hasMessage("params.transaction.gas_limit must be a hex string or a non-negative integer");
    tx("\"chain_id\":1,\"nonce\":0,\"gas_price\":1,\"gasLimit\":\"0x10000000000000000\"")
        .hasMessage("params.transaction.gasLimit is too large (at most 64 bits)");
    tx(TX_BASE + "\"gas_price\":1,\"value\":\"0x1" + "0".repeat(64) + "\"")
        .hasMessage("params.transaction.value is too large (at most 256 bits)");
    tx(TX_BASE + "\"gas_price\":1,\"value\":\"0x" + "f".repeat(300_000) + "\"")
        .hasMessageStartingWith("params.transaction.value is too ");
    tx(TX_BASE + "\"gas_price\":1,\"nonce\":1e300").hasMessageStartingWith("params.transaction.nonce");
  }

  @Test
  void transactionFieldsAreRequiredUnknownOrMisplaced() {
    tx(TX_BASE + "\"gas_price\":1,\"gas\":21000").hasMessage("params.transaction.gas is not a supported field");
    tx("\"chain_id\":1,\"gas_limit\":21000,\"gas_price\":1").hasMessage("params.transaction.nonce is required");
    tx("\"chain_id\":1,\"nonce\":0,\"gas_price\":1").hasMessage("params.transaction.gas_limit is required");
    tx(TX_BASE + "\"type\":0").hasMessage("params.transaction.gas_price is required for a type 0 transaction");
    tx(TX_BASE + "\"type\":2,\"max_fee_per_gas\":1").hasMessage(
        "params.transaction.max_priority_fee_per_gas is required for a type 2 transaction");
    tx(TX_BASE + "\"type\":2,\"gas_price\":1,\"max_fee_per_gas\":1,\"max_priority_fee_per_gas\":1")
        .hasMessageStartingWith("params.transaction.gas_price is not allowed in a type 2 transaction");
    tx(TX_BASE + "\"type\":0,\"gas_price\":1,\"maxFeePerGas\":1")
        .hasMessageStartingWith("params.transaction.maxFeePerGas is not allowed in a type 0 transaction");
    tx(TX_BASE + "\"type\":0,\"gas_price\":1,\"access_list\":[{\"address\":\"0x000000000000000000000000000000000000dEaD\"}]")
        .hasMessageStartingWith("params.transaction.access_list is not allowed in a type 0 transaction");
    tx(TX_BASE + "\"chainId\":1,\"gas_price\":1").hasMessageStartingWith("params.transaction.chain_id is given twice");
    tx(TX_BASE + "\"type\":3,\"gas_price\":1").hasMessage("params.transaction.type 3 (blob transactions) is not supported");
    tx(TX_BASE + "\"type\":7,\"gas_price\":1").hasMessage("params.transaction.type must be 0, 1, 2 or 4");
    tx("\"nonce\":0,\"gas_limit\":1,\"type\":2,\"max_fee_per_gas\":1,\"max_priority_fee_per_gas\":1")
        .hasMessage("params.transaction.chain_id is required for a type 2 transaction");
    tx("\"chain_id\":0,\"nonce\":0,\"gas_limit\":1,\"gas_price\":1").hasMessage("params.transaction.chain_id must be a positive chain id");
    rpc("eth_signTransaction", "{\"caip2\":\"eip155:8453\",\"params\":{\"transaction\":{" + TX_BASE + "\"gas_price\":1}}}")
        .hasMessage("params.transaction.chain_id does not match caip2");
    tx(TX_BASE + "\"gas_price\":1,\"data\":\"0x123\"").hasMessage("params.transaction.data must be a hex string with an even number of digits");
    tx(TX_BASE + "\"gas_price\":1,\"to\":\"0x000000000000000000000000000000000000DEaD\"")
        .hasMessage("params.transaction.to must be an address (0x + 40 hex digits, valid EIP-55 checksum)");
    tx(TX_BASE + "\"gas_price\":1,\"to\":\"0xdead\"").hasMessage("params.transaction.to must be an address (0x + 40 hex digits)");
    tx(TX_BASE + "\"type\":1,\"gas_price\":1,\"access_list\":[{\"address\":\"0x000000000000000000000000000000000000dEaD\",\"storage_keys\":[\"0x01\"]}]")
        .hasMessage("params.transaction.access_list[0].storage_keys[0] must be 32 bytes of hex");
  }

  @Test
  void type4TransactionsNeedARecipientAndValidAuthorizations() {
    final String fees = TX_BASE + "\"type\":4,\"max_fee_per_gas\":1,\"max_priority_fee_per_gas\":1,";
    final String auth = "{\"chain_id\":1,\"address\":\"0x1234567890abcdef1234567890abcdef12345678\",\"nonce\":0,\"r\":\"0x1\",\"s\":\"0x2\"";
    tx(fees + "\"to\":\"0x000000000000000000000000000000000000dEaD\"")
        .hasMessage("params.transaction.authorization_list must not be empty in a type 4 transaction");
    tx(fees + "\"authorization_list\":[" + auth + ",\"y_parity\":0}]").hasMessageStartingWith("params.transaction.to is required");
    final String to = "\"to\":\"0x000000000000000000000000000000000000dEaD\",";
    tx(fees + to + "\"authorization_list\":[" + auth + ",\"y_parity\":2}]")
        .hasMessage("params.transaction.authorization_list[0].y_parity must be 0 or 1");
    tx(fees + to + "\"authorization_list\":[" + auth + ",\"v\":29}]")
        .hasMessage("params.transaction.authorization_list[0].v must be 27 or 28 (or 0 or 1)");
    tx(fees + to + "\"authorization_list\":[" + auth + "}]").hasMessage("params.transaction.authorization_list[0].y_parity is required");
    tx(fees + to + "\"authorization_list\":[" + auth + ",\"y_parity\":0,\"v\":27}]")
        .hasMessage("params.transaction.authorization_list[0].v cannot be combined with y_parity");
    tx(fees + to + "\"authorizationList\":[" + auth + ",\"yParity\":0,\"extra\":1}]")
        .hasMessage("params.transaction.authorizationList[0].extra is not a supported field");
    // An authorization list makes the type 4, where gas_price has no place.
    tx(TX_BASE + "\"gas_price\":1,\"authorization_list\":[" + auth + ",\"y_parity\":0}]")
        .hasMessageStartingWith("params.transaction.gas_price is not allowed in a type 4 transaction");
    tx(TX_BASE + "\"type\":2,\"max_fee_per_gas\":1,\"max_priority_fee_per_gas\":1," + to + "\"authorization_list\":[" + auth + ",\"y_parity\":0}]")
        .hasMessageStartingWith("params.transaction.authorization_list is not allowed in a type 2 transaction");
  }

  @Test
  void fromMustBeTheWalletsOwnAddress() {
    final SigningRequest request = SigningRequest.parseRpc("eth_signTransaction", json(
        "{\"params\":{\"transaction\":{" + TX_BASE + "\"gas_price\":1,\"from\":\"0x000000000000000000000000000000000000dEaD\"}}}"));
    try (Secp256k1PrivateKey key = TestSupport.hardhat()) {
      assertThatThrownBy(() -> request.sign(key)).isInstanceOf(InvalidRequestException.class)
          .hasMessage("params.transaction.from does not match the wallet's address");
    }
  }

  @Test
  void authorizationParamsAreValidated() {
    rpc("eth_sign7702Authorization", "{\"params\":{\"chain_id\":1}}").hasMessage("params.contract is required");
    rpc("eth_sign7702Authorization", "{\"params\":{\"contract\":\"0x1234567890abcdef1234567890abcdef12345678\"}}")
        .hasMessage("params.chain_id is required");
    rpc("eth_sign7702Authorization", "{\"params\":{\"contract\":\"0x1234567890abcdef1234567890abcdef12345678\",\"chain_id\":1,\"nonce\":\"0x10000000000000000\"}}")
        .hasMessage("params.nonce is too large (at most 64 bits)");
    rpc("eth_sign7702Authorization", "{\"params\":{\"contract\":\"0x1234567890abcdef1234567890abcdef12345678\",\"chain_id\":1,\"executor\":\"relayer\"}}")
        .hasMessage("params.executor must be \"self\"");
  }

  @Test
  void typedDataStructureIsValidated() {
    typed("{\"types\":{\"M\":[]},\"message\":{}}").hasMessage("params.typed_data.primary_type is required");
    typed("{\"primary_type\":\"X\",\"types\":{\"M\":[]},\"message\":{}}")
        .hasMessage("params.typed_data.primary_type names a type that is not in types");
    typed("{\"primary_type\":\"M\",\"types\":{\"M\":[{\"name\":\"a\",\"type\":\"Foo\"}]},\"message\":{\"a\":1}}")
        .hasMessage("params.typed_data.types.M[0].type refers to an unknown type");
    typed("{\"primary_type\":\"M\",\"types\":{\"M\":[{\"name\":\"a\",\"type\":\"uint7\"}]},\"message\":{\"a\":1}}")
        .hasMessage("params.typed_data.types.M[0].type refers to an unknown type");
    typed("{\"primary_type\":\"M\",\"types\":{\"M\":[{\"name\":\"a\",\"type\":\"uint8\"},{\"name\":\"a\",\"type\":\"uint8\"}]},\"message\":{\"a\":1}}")
        .hasMessage("params.typed_data.types.M[1].name repeats a member name");
    typed("{\"primary_type\":\"M\",\"domain\":{\"foo\":1},\"types\":{\"M\":[]},\"message\":{}}")
        .hasMessageStartingWith("params.typed_data.domain.foo is not an EIP-712 domain field");
    typed("{\"primary_type\":\"M\",\"types\":{\"M\":[]},\"message\":{},\"extra\":1}")
        .hasMessage("params.typed_data.extra is not a supported field");
    typed("{\"primary_type\":\"M\",\"types\":{\"M\":[{\"name\":\"a\",\"type\":\"uint8\"}]}}")
        .hasMessage("params.typed_data.message is required");
    typed("{\"primary_type\":\"M\",\"types\":{\"M\":[{\"name\":\"a\",\"type\":\"uint8" + "[]".repeat(100_000) + "\"}]},\"message\":{}}")
        .hasMessage("params.typed_data.types.M[0].type is not a valid EIP-712 type");
    typed("{\"primary_type\":\"M\",\"types\":{\"M\":[{\"name\":\"a\",\"type\":\"uint8[][][][][][][][][]\"}]},\"message\":{}}")
        .hasMessage("params.typed_data.types.M[0].type has too many array dimensions");
  }

  @Test
  void typedDataValuesAreCheckedAgainstTheirTypes() {
    final String types = "\"types\":{\"M\":[{\"name\":\"a\",\"type\":\"%s\"}]},\"primary_type\":\"M\"";
    typed("{" + types.formatted("uint8") + ",\"message\":{\"a\":256}}")
        .hasMessage("params.typed_data.message.a is out of range for uint8");
    typed("{" + types.formatted("int8") + ",\"message\":{\"a\":\"-129\"}}")
        .hasMessage("params.typed_data.message.a is out of range for int8");
    typed("{" + types.formatted("uint256") + ",\"message\":{\"a\":\"12abc\"}}")
        .hasMessage("params.typed_data.message.a must be an integer (number, decimal or 0x hex string)");
    typed("{" + types.formatted("bytes4") + ",\"message\":{\"a\":\"0x010203\"}}")
        .hasMessage("params.typed_data.message.a must be 4 bytes of hex");
    typed("{" + types.formatted("bool") + ",\"message\":{\"a\":\"true\"}}")
        .hasMessage("params.typed_data.message.a must be true or false");
    typed("{" + types.formatted("address") + ",\"message\":{\"a\":\"0x12\"}}")
        .hasMessageStartingWith("params.typed_data.message.a must be an address");
    typed("{" + types.formatted("uint8[2]") + ",\"message\":{\"a\":[1]}}")
        .hasMessage("params.typed_data.message.a must have exactly 2 items");
    typed("{" + types.formatted("uint8[]") + ",\"message\":{\"a\":[1,\"x\"]}}")
        .hasMessageStartingWith("params.typed_data.message.a[1] must be an integer");
    typed("{" + types.formatted("string") + ",\"message\":{}}").hasMessage("params.typed_data.message.a is required");
    typed("{" + types.formatted("uint8") + ",\"domain\":{\"chainId\":\"one\"},\"message\":{\"a\":1}}")
        .hasMessageStartingWith("params.typed_data.domain.chainId must be an integer");
  }

  @Test
  void typedDataRecursionIsBoundedNotAStackOverflow() {
    // A legal recursive type, nested 40 levels deep in the message.
    final ObjectNode message = TestSupport.JSON.createObjectNode();
    ObjectNode level = message;
    for (int i = 0; i < 40; i++) {
      level.put("v", 1);
      level = level.putObject("next");
    }
    level.put("v", 1);
    final ObjectNode typedData = (ObjectNode) json("""
        {"primary_type":"Node","types":{"Node":[{"name":"v","type":"uint8"},{"name":"next","type":"Node"}]}}""");
    typedData.set("message", message);
    final ObjectNode body = TestSupport.JSON.createObjectNode();
    body.putObject("params").set("typed_data", typedData);
    assertThatThrownBy(() -> SigningRequest.parseRpc("eth_signTypedData_v4", body))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("is nested too deeply (at most 32 levels)");
  }

  @Test
  void typedDataArraysAndTotalWorkAreBounded() {
    final ArrayNode big = TestSupport.JSON.createArrayNode();
    for (int i = 0; i < 1001; i++) {
      big.add(1);
    }
    final ObjectNode typedData = (ObjectNode) json("""
        {"primary_type":"M","types":{"M":[{"name":"a","type":"uint8[]"}]}}""");
    typedData.putObject("message").set("a", big);
    final ObjectNode body = TestSupport.JSON.createObjectNode();
    body.putObject("params").set("typed_data", typedData);
    assertThatThrownBy(() -> SigningRequest.parseRpc("eth_signTypedData_v4", body))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessage("params.typed_data.message.a has too many items (at most 1000)");

    // 1000 x 1000 nested items: each array is within limits, the total is not.
    final ArrayNode row = TestSupport.JSON.createArrayNode();
    for (int i = 0; i < 1000; i++) {
      row.add(1);
    }
    final ArrayNode grid = TestSupport.JSON.createArrayNode();
    for (int i = 0; i < 1000; i++) {
      grid.add(row);
    }
    final ObjectNode gridData = (ObjectNode) json("""
        {"primary_type":"M","types":{"M":[{"name":"a","type":"uint8[][]"}]}}""");
    gridData.putObject("message").set("a", grid);
    final ObjectNode gridBody = TestSupport.JSON.createObjectNode();
    gridBody.putObject("params").set("typed_data", gridData);
    assertThatThrownBy(() -> SigningRequest.parseRpc("eth_signTypedData_v4", gridBody))
        .isInstanceOf(InvalidRequestException.class)
        .hasMessageContaining("exceeds the limit of 100000 typed-data values");
  }

  @Test
  void errorMessagesNeverEchoKeyMaterialOrValues() {
    final JsonNode body = json("{\"params\":{\"message\":\"" + TestSupport.HARDHAT_KEY.substring(3) + "\",\"encoding\":\"hex\"}}");
    final Throwable error = org.assertj.core.api.Assertions.catchThrowable(() -> SigningRequest.parseRpc("personal_sign", body));
    assertThat(error).isInstanceOf(InvalidRequestException.class);
    assertThat(error.getMessage()).doesNotContain(TestSupport.HARDHAT_KEY.substring(3, 20));
  }
}
