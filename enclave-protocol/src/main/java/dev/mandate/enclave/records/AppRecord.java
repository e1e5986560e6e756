package dev.mandate.enclave.records;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.regex.Pattern;

/**
 * An app's credentials as stored: the SHA-256 (hex) of its secret. Sealed by the enclave, so a
 * table write cannot swap in a secret of the writer's choosing: every request the host
 * authenticated by app secret is checked against this record inside the enclave.
 *
 * @param id the app id (also the record id)
 * @param secretSha256 lowercase hex SHA-256 of the app secret
 * @param createdAt milliseconds
 */
public record AppRecord(String id, String secretSha256, long createdAt) {
  public static final String KIND = "app";
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  public AppRecord {
    if (!SHA256_HEX.matcher(secretSha256).matches()) {
      throw new IllegalArgumentException("secret_sha256 must be 64 lowercase hex characters");
    }
  }

  public static boolean isSha256Hex(final String value) {
    return value != null && SHA256_HEX.matcher(value).matches();
  }

  /** Parsed documents by their text (an app's record comes with every request authenticated by secret). */
  private static final Memo<AppRecord> PARSED = new Memo<>(AppRecord::parse, Docs.MEMO_ENTRIES, Docs.MEMO_MAX_CHARS,
      Docs.MEMO_TOTAL_CHARS);

  public static AppRecord fromDoc(final String doc) {
    return PARSED.apply(doc);
  }

  private static AppRecord parse(final String doc) {
    final ObjectNode n = Docs.parse(doc);
    return new AppRecord(n.path("id").asText(), n.path("secret_sha256").asText(), n.path("created_at").asLong());
  }

  public String toDoc() {
    return Docs.object().put("id", id).put("secret_sha256", secretSha256).put("created_at", createdAt).toString();
  }
}
