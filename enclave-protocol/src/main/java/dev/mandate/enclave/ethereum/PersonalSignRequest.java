package dev.mandate.enclave.ethereum;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * {@code personal_sign}: EIP-191 version 0x45, keccak256("\x19Ethereum Signed Message:\n" +
 * byte length in decimal + message). The prefix keeps a signed message from ever being a valid
 * transaction.
 */
public final class PersonalSignRequest implements SigningRequest {
  private static final Set<String> FIELDS = Set.of("message", "encoding");
  private static final byte[] PREFIX = "\u0019Ethereum Signed Message:\n".getBytes(StandardCharsets.US_ASCII);

  private final byte[] message;
  private final String encoding;
  private final byte[] digest;

  private PersonalSignRequest(final byte[] message, final String encoding) {
    this.message = message;
    this.encoding = encoding;
    this.digest = Keccak.keccak256(
        PREFIX, Integer.toString(message.length).getBytes(StandardCharsets.US_ASCII), message);
  }

  /** {@code params: {message, encoding: "utf-8" | "hex"}}; hex with or without {@code 0x}. */
  static PersonalSignRequest parse(final JsonNode params) {
    Fields.allowOnly(params, "params", FIELDS);
    final String encoding = Fields.text(Fields.required(params, "encoding", "params.encoding"), "params.encoding");
    final JsonNode message = Fields.required(params, "message", "params.message");
    return switch (encoding) {
      case "utf-8" -> new PersonalSignRequest(
          Fields.wellFormedText(message, "params.message").getBytes(StandardCharsets.UTF_8), encoding);
      case "hex" -> new PersonalSignRequest(Fields.hexBytes(message, "params.message"), encoding);
      default -> throw Fields.invalid("params.encoding", "must be \"utf-8\" or \"hex\"");
    };
  }

  @Override
  public String method() {
    return "personal_sign";
  }

  /** The message bytes as signed (a copy). */
  public byte[] message() {
    return message.clone();
  }

  /** The text of a {@code utf-8} message; empty for hex messages. */
  public Optional<String> messageText() {
    return "utf-8".equals(encoding) ? Optional.of(new String(message, StandardCharsets.UTF_8)) : Optional.empty();
  }

  /** {@code "utf-8"} or {@code "hex"}, as sent. */
  public String encoding() {
    return encoding;
  }

  @Override
  public byte[] digest() {
    return digest.clone();
  }
}
