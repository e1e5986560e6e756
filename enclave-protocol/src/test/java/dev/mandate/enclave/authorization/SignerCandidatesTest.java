package dev.mandate.enclave.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Base64;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SignerCandidatesTest {
  private static final String URL = "https://wallets.example.com/v1/wallets/w1/rpc";
  private static final String BODY = "{\"method\":\"personal_sign\",\"params\":{\"message\":\"hi\",\"encoding\":\"utf-8\"}}";
  private static final AuthorizationPayload PAYLOAD = AuthorizationPayload.of("POST", URL, BODY, Map.of("privy-app-id", "app-1"));

  @Test
  void theSignersKeyIsAmongAtMostFourCandidatesPerSignature() {
    for (int i = 0; i < 20; i++) {
      final TestSigner signer = TestSigner.generate();
      final Set<P256PublicKey> candidates = SignerCandidates.of(PAYLOAD, header(signer.sign(PAYLOAD)));
      assertThat(candidates).contains(signer.publicKey()).hasSizeBetween(1, 4);
    }
  }

  @Test
  void everySignerOfAMultiSignatureHeaderIsACandidate() {
    final TestSigner a = TestSigner.generate();
    final TestSigner b = TestSigner.generate();
    final Set<P256PublicKey> candidates = SignerCandidates.of(PAYLOAD, header(a.sign(PAYLOAD) + "," + b.sign(PAYLOAD)));
    assertThat(candidates).contains(a.publicKey(), b.publicKey()).hasSizeLessThanOrEqualTo(8);
  }

  @Test
  void aHighSSignatureRecoversTheSameKey() {
    final TestSigner signer = TestSigner.generate();
    final byte[] flipped = TestSigner.flipS(signer.signDer(PAYLOAD.canonicalBytes()));
    assertThat(SignerCandidates.of(PAYLOAD, header(Base64.getEncoder().encodeToString(flipped)))).contains(signer.publicKey());
  }

  @Test
  void aSignatureOverAnotherPayloadDoesNotRecoverTheSigner() {
    final TestSigner signer = TestSigner.generate();
    final AuthorizationPayload other = AuthorizationPayload.of("POST", URL, "{\"x\":1}", Map.of("privy-app-id", "app-1"));
    assertThat(SignerCandidates.of(PAYLOAD, header(signer.sign(other)))).doesNotContain(signer.publicKey());
  }

  @Test
  void anEmptyBodySignedAsAnyAcceptedEncodingRecoversTheSigner() {
    final AuthorizationPayload empty = AuthorizationPayload.of("DELETE", URL, "{}", Map.of("privy-app-id", "app-1"));
    for (final byte[] encoding : empty.acceptedEncodings()) {
      final TestSigner signer = TestSigner.generate();
      final String signature = Base64.getEncoder().encodeToString(signer.signDer(encoding));
      assertThat(SignerCandidates.of(empty, header(signature))).contains(signer.publicKey());
    }
  }

  @Test
  void malformedSignaturesYieldNoCandidates() {
    assertThat(SignerCandidates.of(PAYLOAD, header(Base64.getEncoder().encodeToString(new byte[] {0x30, 0x02, 0x01, 0x01})))).isEmpty();
  }

  @Test
  void theFingerprintIsStableAcrossEncodingsOfTheKey() {
    final TestSigner signer = TestSigner.generate();
    final String base64 = signer.publicKey().toBase64();
    final P256PublicKey pem = P256PublicKey.parse("-----BEGIN PUBLIC KEY-----\n" + base64 + "\n-----END PUBLIC KEY-----");
    assertThat(pem.fingerprint()).isEqualTo(signer.publicKey().fingerprint()).matches("[0-9a-f]{32}");
    assertThat(TestSigner.generate().publicKey().fingerprint()).isNotEqualTo(signer.publicKey().fingerprint());
  }

  private static SignatureHeader header(final String value) {
    return SignatureHeader.parse(value).orElseThrow();
  }
}
