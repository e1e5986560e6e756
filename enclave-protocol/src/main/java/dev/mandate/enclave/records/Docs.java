package dev.mandate.enclave.records;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Small JSON helpers shared by the record types. */
public final class Docs {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  /**
   * Bounds of the memos that keep parsed records by their stored text ({@link Memo}): entries per
   * record type, the longest text kept (a longer one is parsed each time), and the text kept in all
   * per memo: at most 2M characters (4 MB even in UTF-16) each, typically a few hundred KB (records
   * are mostly under 1 KB).
   */
  public static final int MEMO_ENTRIES = 1_024;
  public static final int MEMO_MAX_CHARS = 4_096;
  public static final long MEMO_TOTAL_CHARS = 2_000_000;

  private Docs() {}

  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  public static ObjectNode parse(final String doc) {
    try {
      final JsonNode n = MAPPER.readTree(doc);
      if (n instanceof ObjectNode o) {
        return o;
      }
    } catch (IOException e) {
      // fall through
    }
    throw new IllegalStateException("record document is not a JSON object");
  }

  public static Optional<String> optionalText(final JsonNode n, final String field) {
    final JsonNode v = n.get(field);
    return v == null || v.isNull() ? Optional.empty() : Optional.of(v.asText());
  }

  public static List<String> strings(final JsonNode array) {
    final List<String> out = new ArrayList<>();
    array.forEach(v -> out.add(v.asText()));
    return List.copyOf(out);
  }

  public static ArrayNode array(final ObjectNode parent, final String field, final List<String> values) {
    final ArrayNode array = parent.putArray(field);
    values.forEach(array::add);
    return array;
  }
}
