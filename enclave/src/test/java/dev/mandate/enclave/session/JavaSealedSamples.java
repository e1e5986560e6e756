package dev.mandate.enclave.session;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Prints fresh session keys sealed by {@link HpkeSealer} to the recipient in
 * vectors/hpke/privy-node-interop.json, as JSON for check-java-sealed.mjs (see the README there).
 * Not a test: run by hand when the vectors are regenerated.
 */
final class JavaSealedSamples {
  private JavaSealedSamples() {}

  public static void main(final String[] args) throws IOException {
    final String fixture = Files.readString(Path.of(args[0]));
    final String recipient = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(fixture).get("recipient_public_key_spki").asText();
    final StringBuilder out = new StringBuilder("[\n");
    for (int i = 0; i < 3; i++) {
      try (SessionKey key = SessionKey.generate()) {
        final HpkeEnvelope sealed =
            HpkeSealer.sealTo(recipient, key.privateKeyPkcs8Base64().getBytes(StandardCharsets.UTF_8));
        out.append(i == 0 ? "" : ",\n")
            .append("  {\"session_public_key_spki\": \"").append(key.publicKeySpkiBase64())
            .append("\", \"encapsulated_key\": \"").append(sealed.encapsulatedKeyBase64())
            .append("\", \"ciphertext\": \"").append(sealed.ciphertextBase64()).append("\"}");
      }
    }
    System.out.println(out.append("\n]"));
  }
}
