package dev.mandate.enclave.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The wire form of enclave messages: one JSON object per message with a {@code type} member. Written
 * by hand (no reflection) so it stays small, fast at cold start, and identical on both sides of a
 * future vsock link.
 */
public final class MessageCodec {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private MessageCodec() {}

  public static byte[] encode(final EnclaveRequest request) {
    final ObjectNode n = MAPPER.createObjectNode();
    switch (request) {
      case CreateSealKey m -> n.put("type", "create_seal_key");
      case Execute m -> {
        n.put("type", "execute").put("app_id", m.appId()).put("wrapped_seal_key", m.wrappedSealKey())
            .put("dry_run", m.dryRun());
        final ObjectNode inputs = n.putObject("host_inputs");
        m.hostInputs().forEach(inputs::put);
        n.set("http", http(m.http()));
        n.set("records", records(m.records()));
      }
    }
    return bytes(n);
  }

  public static EnclaveRequest decodeRequest(final byte[] wire) {
    final JsonNode n = tree(wire);
    return switch (text(n, "type")) {
      case "create_seal_key" -> new CreateSealKey();
      case "execute" -> new Execute(
          text(n, "app_id"), text(n, "wrapped_seal_key"), http(n.path("http")), records(n.path("records")),
          n.path("dry_run").asBoolean(false), strings(n.path("host_inputs")));
      default -> throw new IllegalArgumentException("unknown enclave request type");
    };
  }

  public static byte[] encode(final EnclaveResponse response) {
    final ObjectNode n = MAPPER.createObjectNode();
    switch (response) {
      case SealKeyCreated m -> n.put("type", "seal_key_created").put("wrapped_seal_key", m.wrappedSealKey());
      case Executed m -> {
        n.put("type", "executed").put("result", m.result().orElse(null));
        n.set("primary", m.primary().map(MessageCodec::record).orElse(null));
        n.set("created", records(m.created()));
        n.set("updated", records(m.updated()));
        n.set("deleted", records(m.deleted()));
      }
      case Refused m -> n.put("type", "refused")
          .put("reason", m.reason().name())
          .put("code", m.code())
          .put("message", m.message())
          .put("details", m.details().orElse(null));
    }
    return bytes(n);
  }

  public static EnclaveResponse decodeResponse(final byte[] wire) {
    final JsonNode n = tree(wire);
    return switch (text(n, "type")) {
      case "seal_key_created" -> new SealKeyCreated(text(n, "wrapped_seal_key"));
      case "executed" -> new Executed(
          Optional.ofNullable(text(n, "result")),
          n.path("primary").isObject() ? Optional.of(record(n.path("primary"))) : Optional.empty(),
          records(n.path("created")), records(n.path("updated")), records(n.path("deleted")));
      case "refused" -> new Refused(
          Refused.Reason.valueOf(text(n, "reason")), text(n, "code"), text(n, "message"),
          Optional.ofNullable(text(n, "details")));
      default -> throw new IllegalArgumentException("unknown enclave response type");
    };
  }

  private static Map<String, String> strings(final JsonNode object) {
    final Map<String, String> out = new HashMap<>();
    object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
    return out;
  }

  private static ObjectNode http(final HttpEnvelope h) {
    final ObjectNode n = MAPPER.createObjectNode()
        .put("method", h.method()).put("base_url", h.baseUrl()).put("path", h.path()).put("body", h.body())
        .put("signatures", h.signatures().orElse(null));
    final ObjectNode headers = n.putObject("privy_headers");
    h.privyHeaders().forEach(headers::put);
    return n;
  }

  private static HttpEnvelope http(final JsonNode n) {
    final Map<String, String> headers = new HashMap<>();
    n.path("privy_headers").fields().forEachRemaining(e -> headers.put(e.getKey(), e.getValue().asText()));
    return new HttpEnvelope(text(n, "method"), text(n, "base_url"), text(n, "path"), text(n, "body"), headers,
        Optional.ofNullable(text(n, "signatures")));
  }

  private static ArrayNode records(final List<SealedRecord> records) {
    final ArrayNode array = MAPPER.createArrayNode();
    records.forEach(r -> array.add(record(r)));
    return array;
  }

  private static List<SealedRecord> records(final JsonNode array) {
    final List<SealedRecord> out = new ArrayList<>();
    array.forEach(r -> out.add(record(r)));
    return out;
  }

  private static ObjectNode record(final SealedRecord r) {
    return MAPPER.createObjectNode().put("kind", r.kind()).put("id", r.id()).put("doc", r.doc()).put("seal", r.seal());
  }

  private static SealedRecord record(final JsonNode n) {
    return new SealedRecord(text(n, "kind"), text(n, "id"), text(n, "doc"), text(n, "seal"));
  }

  private static byte[] bytes(final ObjectNode n) {
    try {
      return MAPPER.writeValueAsBytes(n);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static JsonNode tree(final byte[] wire) {
    try {
      return MAPPER.readTree(wire);
    } catch (IOException e) {
      throw new IllegalArgumentException("malformed enclave message", e);
    }
  }

  private static String text(final JsonNode n, final String field) {
    final JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }
}
