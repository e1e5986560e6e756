package dev.mandate.recurring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mandate.enclave.authorization.P256PublicKey;
import dev.mandate.enclave.keys.DevKeyWrapper;
import dev.mandate.enclave.keys.KeyUnwrapException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevActionSignerTest {
  private static final byte[] PAYLOAD = "{\"body\":{\"method\":\"eth_sendTransaction\"},\"version\":1}"
      .getBytes(StandardCharsets.UTF_8);

  @TempDir
  Path dir;
  private DevActionSigner signer;

  @BeforeEach
  void signer() {
    signer = new DevActionSigner(DevKeyWrapper.builder().keyFile(dir.resolve("dev-master.key")).build());
  }

  @Test
  void signaturesVerifyWithTheJdkAndTheEnclave() {
    final ActionKey key = signer.create("app-1", "action-1");
    assertThat(key.kind()).isEqualTo("dev");
    assertThat(P256PublicKey.parse(key.publicKeySpkiBase64()).toBase64()).isEqualTo(key.publicKeySpkiBase64());
    Signatures.assertVerifies(key, PAYLOAD, signer.sign(key, PAYLOAD));
  }

  @Test
  void keysSurviveStorageAndARestart() {
    final ActionKey stored = ActionKey.fromJson(signer.create("app-1", "action-1").toJson());
    final DevActionSigner restarted = new DevActionSigner(DevKeyWrapper.builder().keyFile(dir.resolve("dev-master.key")).build());
    Signatures.assertVerifies(stored, PAYLOAD, restarted.sign(stored, PAYLOAD));
  }

  @Test
  void everyActionGetsItsOwnKey() {
    assertThat(signer.create("app-1", "action-1").publicKeySpkiBase64())
        .isNotEqualTo(signer.create("app-1", "action-2").publicKeySpkiBase64());
  }

  @Test
  void keepsNoPlaintextPrivateKey() {
    final ActionKey key = signer.create("app-1", "action-1");
    assertThat(key.reference()).startsWith("da1:").contains(":wk1:dev:");
  }

  @Test
  void aWrappedKeyMovedToAnotherActionDoesNotUnwrap() {
    final ActionKey one = signer.create("app-1", "action-1");
    final ActionKey two = signer.create("app-1", "action-2");
    final String wrappedOfOne = one.reference().split(":", 4)[3];
    final String[] twoParts = two.reference().split(":", 4);
    final ActionKey forged = new ActionKey("dev", twoParts[0] + ":" + twoParts[1] + ":" + twoParts[2] + ":" + wrappedOfOne,
        two.publicKeySpkiBase64());
    assertThatThrownBy(() -> signer.sign(forged, PAYLOAD)).isInstanceOf(KeyUnwrapException.class);
  }

  @Test
  void refusesKmsKeysAndMalformedReferences() {
    assertThatThrownBy(() -> signer.sign(new ActionKey("kms", "arn:aws:kms:x", "MFkw"), PAYLOAD))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not dev");
    assertThatThrownBy(() -> signer.sign(new ActionKey("dev", "nonsense", "MFkw"), PAYLOAD))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("malformed");
  }

  @Test
  void retireIsANoOp() {
    final ActionKey key = signer.create("app-1", "action-1");
    signer.retire(key);
    signer.retire(key);
    Signatures.assertVerifies(key, PAYLOAD, signer.sign(key, PAYLOAD));
  }
}
