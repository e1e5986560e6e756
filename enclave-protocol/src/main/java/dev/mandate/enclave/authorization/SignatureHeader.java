package dev.mandate.enclave.authorization;

import dev.mandate.enclave.InvalidRequestException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * The {@code privy-authorization-signature} header: comma-separated standard-base64 signatures
 * (the SDKs join with "," and no space). Signatures are kept as received; whether each one is
 * well-formed DER is decided at verification, where a malformed one simply verifies nothing.
 */
public final class SignatureHeader {
  public static final String NAME = "privy-authorization-signature";
  /** More than any sane quorum needs; bounds the verification work one request can cause. */
  public static final int MAX_SIGNATURES = 20;
  /** A DER P-256 signature is at most 72 bytes; this is generous and still bounded. */
  public static final int MAX_SIGNATURE_BYTES = 1024;

  private static final int MAX_BASE64_CHARS = 4 * ((MAX_SIGNATURE_BYTES + 2) / 3);
  private static final int MAX_HEADER_CHARS = MAX_SIGNATURES * (MAX_BASE64_CHARS + 8);

  private final List<byte[]> signatures;

  private SignatureHeader(final List<byte[]> signatures) {
    this.signatures = signatures;
  }

  /**
   * Parses the header value.
   *
   * @param headerValue the raw value, or null when the request has no such header
   * @return empty when the header is missing, blank or holds only separators: the caller answers
   *     Privy's {@code missing_or_empty_authorization_header}
   * @throws InvalidRequestException if a part is not base64, or there are too many or too large
   */
  public static Optional<SignatureHeader> parse(final String headerValue) {
    if (headerValue == null || headerValue.isBlank()) {
      return Optional.empty();
    }
    if (headerValue.length() > MAX_HEADER_CHARS) {
      throw new InvalidRequestException(NAME + " is too long");
    }
    final List<byte[]> signatures = new ArrayList<>();
    for (final String part : headerValue.split(",", -1)) {
      final String trimmed = part.strip();
      if (!trimmed.isEmpty()) {
        signatures.add(decode(trimmed, signatures.size()));
      }
    }
    return signatures.isEmpty() ? Optional.empty() : Optional.of(new SignatureHeader(List.copyOf(signatures)));
  }

  private static byte[] decode(final String base64, final int index) {
    if (index >= MAX_SIGNATURES) {
      throw new InvalidRequestException(NAME + " holds more than " + MAX_SIGNATURES + " signatures");
    }
    if (base64.length() > MAX_BASE64_CHARS) {
      throw tooLarge(index);
    }
    final byte[] signature = decodeBase64(base64, index);
    if (signature.length > MAX_SIGNATURE_BYTES) {
      throw tooLarge(index);
    }
    return signature;
  }

  private static InvalidRequestException tooLarge(final int index) {
    return new InvalidRequestException(NAME + " signature " + index + " is larger than " + MAX_SIGNATURE_BYTES + " bytes");
  }

  private static byte[] decodeBase64(final String base64, final int index) {
    try {
      return Base64.getDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(NAME + " signature " + index + " is not standard base64");
    }
  }

  /** How many signatures the header holds (at least one). */
  public int size() {
    return signatures.size();
  }

  /** The decoded signatures, in header order; fresh copies. */
  public List<byte[]> signatures() {
    return signatures.stream().map(byte[]::clone).toList();
  }

  /** Uncopied, for verification inside this package. */
  List<byte[]> raw() {
    return signatures;
  }
}
