package dev.mandate.enclave;

import dev.mandate.enclave.authorization.Jcs;
import dev.mandate.enclave.authorization.P256PublicKey;
import dev.mandate.enclave.ethereum.Keccak;
import dev.mandate.enclave.ethereum.Secp256k1PrivateKey;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * SnapStart: {@link #prime()} runs the signing path's crypto once before the snapshot, so native
 * libraries (libsecp256k1 and its recoverable signer, AWS-LC) are loaded and the classes initialised
 * in the snapshot. It uses only public constants: the secp256k1 scalar 1 (its "public key" is the
 * generator), a fixed message, and a P-256 check that is meant to fail. Nothing it makes is secret,
 * random or used later. {@link #afterRestore()} re-randomizes what must differ between clones.
 */
public final class Priming {
  /** P-256's generator G as an SPKI: a valid public key whose private key (1) is public knowledge. */
  private static final String P256_GENERATOR_SPKI = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEaxfR8uEsQkf4vOblY6RA8ncDfYEt6zOg9KE5RdiYwpZP40Li/hp/m47n60p8D54WK84zV2sxXs7LtkBoN79R9Q==";
  private static final byte[] NOT_A_SIGNATURE = {0x30, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01};

  private Priming() {}

  /** Loads and exercises the crypto of a signature; creates no key, nonce or randomness. */
  public static void prime() {
    final byte[] digest = Keccak.keccak256("mandate priming".getBytes(StandardCharsets.US_ASCII));
    final byte[] one = new byte[32];
    one[31] = 1;
    try (Secp256k1PrivateKey publicScalar = Secp256k1PrivateKey.fromBytes(one)) {
      publicScalar.signDigest(digest); // RFC 6979: deterministic, no randomness
    }
    final P256PublicKey generator = P256PublicKey.parse(P256_GENERATOR_SPKI);
    if (generator.verify(Jcs.canonicalize("{\"b\":1,\"a\":[true,null]}"), NOT_A_SIGNATURE)) {
      throw new IllegalStateException("priming: a made-up P-256 signature verified");
    }
    Base64.getEncoder().encodeToString(digest);
  }

  /** After a SnapStart restore: fresh side-channel blinding for libsecp256k1 in every clone. */
  public static void afterRestore() {
    dev.mandate.enclave.ethereum.Secp256k1Backends.afterRestore();
  }
}
