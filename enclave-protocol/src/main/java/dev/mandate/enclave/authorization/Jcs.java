package dev.mandate.enclave.authorization;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mandate.enclave.InvalidRequestException;
import java.io.IOException;
import org.erdtman.jcs.JsonCanonicalizer;

/**
 * RFC 8785 JSON Canonicalization Scheme, the form Privy clients sign (npm {@code canonicalize}, Go
 * {@code cyberphone/json-canonicalization}). Backed by cyberphone's reference implementation
 * (erdtman's Java port) so number formatting is ES6-exact rather than Java's.
 */
public final class Jcs {
  // Only writes JSON that the canonicalizer then re-parses; its number format does not matter as
  // long as the text round-trips to the same double, which Java's shortest repr guarantees.
  private static final ObjectMapper WRITER = JsonMapper.builder().build();

  private Jcs() {}

  /**
   * Canonical UTF-8 bytes of a JSON text. Duplicate property names are refused (two readers could
   * otherwise disagree on which one was signed).
   *
   * @throws InvalidRequestException if {@code json} is not a JSON object or array
   */
  public static byte[] canonicalize(final String json) {
    try {
      return new JsonCanonicalizer(json).getEncodedUTF8();
    } catch (IOException | RuntimeException e) {
      // The parser reports some malformed input as unchecked exceptions (index out of range).
      throw new InvalidRequestException("not canonicalizable JSON: " + describe(e));
    }
  }

  /** Canonical UTF-8 bytes of a Jackson tree (an object or array at the top). */
  public static byte[] canonicalize(final JsonNode json) {
    try {
      return canonicalize(WRITER.writeValueAsString(json));
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException("not canonicalizable JSON: " + e.getOriginalMessage());
    }
  }

  private static String describe(final Exception e) {
    return e instanceof IOException && e.getMessage() != null ? e.getMessage() : "malformed";
  }
}
