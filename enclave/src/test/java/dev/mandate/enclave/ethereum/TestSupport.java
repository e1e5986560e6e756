package dev.mandate.enclave.ethereum;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/** Shared helpers: vector loading, the two backends, the well-known Hardhat account #0. */
final class TestSupport {
  static final ObjectMapper JSON = new ObjectMapper();
  /** Hardhat / Anvil default account #0: public knowledge, never holds real funds. */
  static final String HARDHAT_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80";
  static final String HARDHAT_ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

  private TestSupport() {}

  /** Both backends; the native one must load on the platforms we build on. */
  static Stream<Secp256k1Backend> backends() {
    return Stream.of(NativeSecp256k1Backend.load(), BouncyCastleSecp256k1Backend.INSTANCE);
  }

  static Secp256k1PrivateKey key(final String hex, final Secp256k1Backend backend) {
    return Secp256k1PrivateKey.fromBytes(Hex.decode(hex), backend);
  }

  static Secp256k1PrivateKey hardhat() {
    return Secp256k1PrivateKey.fromBytes(Hex.decode(HARDHAT_KEY));
  }

  static JsonNode resource(final String path) {
    try (InputStream raw = TestSupport.class.getResourceAsStream(path)) {
      if (raw == null) {
        throw new IllegalStateException("missing test resource " + path);
      }
      return JSON.readTree(path.endsWith(".gz") ? new GZIPInputStream(raw) : raw);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode json(final String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
