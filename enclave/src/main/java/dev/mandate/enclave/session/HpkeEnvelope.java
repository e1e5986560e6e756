package dev.mandate.enclave.session;

import java.util.Objects;

/**
 * One HPKE-sealed message as Privy puts it on the wire ({@code encrypted_authorization_key}): the
 * KEM encapsulation (the sender's ephemeral public key, a 65-byte uncompressed P-256 point) and the
 * AEAD ciphertext with its 16-byte tag, each as standard base64.
 */
public record HpkeEnvelope(String encapsulatedKeyBase64, String ciphertextBase64) {
  public HpkeEnvelope {
    Objects.requireNonNull(encapsulatedKeyBase64, "encapsulatedKeyBase64");
    Objects.requireNonNull(ciphertextBase64, "ciphertextBase64");
  }
}
