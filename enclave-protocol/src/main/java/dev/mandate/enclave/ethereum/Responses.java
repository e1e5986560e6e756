package dev.mandate.enclave.ethereum;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.ValueNode;
import java.math.BigInteger;

/** Builders for Privy's response {@code data} objects. */
final class Responses {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private Responses() {}

  /** {@code {"signature": "0x" r‖s‖v, "encoding": "hex"}}. */
  static ObjectNode rsvSignature(final RecoverableSignature signature) {
    final ObjectNode data = NODES.objectNode();
    data.put("signature", signature.toRsvHex());
    data.put("encoding", "hex");
    return data;
  }

  static ObjectNode object() {
    return NODES.objectNode();
  }

  /** A JSON number, as Privy echoes chain ids and nonces; the smallest node type, as Jackson parses. */
  static ValueNode number(final BigInteger value) {
    if (value.bitLength() < 32) {
      return NODES.numberNode(value.intValueExact());
    }
    return value.bitLength() < 64 ? NODES.numberNode(value.longValueExact()) : NODES.numberNode(value);
  }
}
