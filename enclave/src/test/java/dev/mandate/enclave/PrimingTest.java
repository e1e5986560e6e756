package dev.mandate.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mandate.enclave.ethereum.Keccak;
import dev.mandate.enclave.ethereum.RecoverableSignature;
import dev.mandate.enclave.ethereum.Secp256k1PrivateKey;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PrimingTest {
  @Test
  void primingAndRestoreLeaveSignaturesExactlyAsBefore() {
    final byte[] digest = Keccak.keccak256("after restore".getBytes(StandardCharsets.US_ASCII));
    try (Secp256k1PrivateKey key = Secp256k1PrivateKey.generate()) {
      final RecoverableSignature before = key.signDigest(digest);

      Priming.prime();
      Priming.afterRestore();

      // New blinding, same RFC 6979 signature: clones differ only where they must.
      assertThat(key.signDigest(digest)).isEqualTo(before);
      assertThat(key.publicKey().verify(digest, before)).isTrue();
    }
  }
}
