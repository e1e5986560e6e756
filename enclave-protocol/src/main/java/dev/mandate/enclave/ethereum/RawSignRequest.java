package dev.mandate.enclave.ethereum;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mandate.enclave.InvalidRequestException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.crypto.digests.SHA256Digest;

/**
 * {@code POST /v1/wallets/{id}/raw_sign}: either a ready 32-byte {@code hash}, or {@code bytes}
 * with their {@code encoding} and the {@code hash_function} to apply.
 *
 * <p>The signature is returned as 65-byte r‖s‖v with v = 27 + recovery id, the same form as
 * {@code secp256k1_sign}: that is what Privy returns for a secp256k1 wallet (its raw_sign and
 * secp256k1_sign answers are byte-identical for the same hash), and it keeps the signature
 * recoverable for callers (e.g. Tron) that need v.
 */
public final class RawSignRequest implements SigningRequest {
  private static final Set<String> FIELDS = Set.of("hash", "bytes", "encoding", "hash_function");

  private final byte[] digest;
  private final Optional<byte[]> bytes;
  private final Optional<String> hashFunction;

  private RawSignRequest(final byte[] digest, final Optional<byte[]> bytes, final Optional<String> hashFunction) {
    this.digest = digest;
    this.bytes = bytes;
    this.hashFunction = hashFunction;
  }

  static RawSignRequest parse(final JsonNode params) {
    Fields.allowOnly(params, "params", FIELDS);
    final Optional<JsonNode> hash = Fields.optional(params, "hash");
    if (hash.isPresent()) {
      if (params.has("bytes") || params.has("encoding") || params.has("hash_function")) {
        throw new InvalidRequestException(
            "params.hash cannot be combined with params.bytes, params.encoding or params.hash_function");
      }
      return new RawSignRequest(Fields.hexBytes(hash.get(), "params.hash", 32), Optional.empty(), Optional.empty());
    }
    if (Fields.optional(params, "bytes").isEmpty()) {
      throw new InvalidRequestException("params must contain either hash, or bytes with encoding and hash_function");
    }
    final byte[] message = decodeBytes(params);
    final String function = Fields.text(
        Fields.required(params, "hash_function", "params.hash_function"), "params.hash_function");
    return new RawSignRequest(hash(function, message), Optional.of(message), Optional.of(function));
  }

  private static byte[] decodeBytes(final JsonNode params) {
    final JsonNode bytes = params.get("bytes");
    final String encoding = Fields.text(Fields.required(params, "encoding", "params.encoding"), "params.encoding");
    return switch (encoding) {
      case "utf-8" -> Fields.wellFormedText(bytes, "params.bytes").getBytes(StandardCharsets.UTF_8);
      case "hex" -> Fields.hexBytes(bytes, "params.bytes");
      case "base64" -> base64(Fields.text(bytes, "params.bytes"));
      default -> throw Fields.invalid("params.encoding", "must be \"utf-8\", \"hex\" or \"base64\"");
    };
  }

  private static byte[] base64(final String text) {
    try {
      return Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw Fields.invalid("params.bytes", "must be base64");
    }
  }

  private static byte[] hash(final String function, final byte[] message) {
    return switch (function) {
      case "keccak256" -> Keccak.keccak256(message);
      case "sha256" -> sha256(message);
      case "blake2b256" -> throw Fields.invalid("params.hash_function",
          "blake2b256 is not supported for Ethereum wallets; use keccak256 or sha256");
      default -> throw Fields.invalid("params.hash_function", "must be \"keccak256\" or \"sha256\"");
    };
  }

  private static byte[] sha256(final byte[] message) {
    final SHA256Digest sha = new SHA256Digest();
    sha.update(message, 0, message.length);
    final byte[] out = new byte[32];
    sha.doFinal(out, 0);
    return out;
  }

  @Override
  public String method() {
    return "raw_sign";
  }

  /** The decoded bytes when the request gave bytes rather than a hash (a copy). */
  public Optional<byte[]> bytes() {
    return bytes.map(byte[]::clone);
  }

  /** {@code keccak256} or {@code sha256} when the request gave bytes. */
  public Optional<String> hashFunction() {
    return hashFunction;
  }

  @Override
  public byte[] digest() {
    return digest.clone();
  }
}
