package dev.mandate.chain;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** The node answered a JSON-RPC error object: {@code {"code", "message", "data"?}}. */
public final class JsonRpcException extends ChainException {
  private static final long serialVersionUID = 1L;
  /** JSON-RPC's "method not found". */
  public static final int METHOD_NOT_FOUND = -32601;

  private final int code;
  private final transient Optional<JsonNode> data;

  public JsonRpcException(final int code, final String message, final Optional<JsonNode> data) {
    super(message);
    this.code = code;
    this.data = data;
  }

  public int code() {
    return code;
  }

  /** The error's {@code data}, e.g. revert data; empty when absent or null. */
  public Optional<JsonNode> data() {
    return data;
  }
}
