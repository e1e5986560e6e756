package dev.mandate.enclave.authorization;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mandate.enclave.authorization.QuorumResult.Outcome;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class QuorumCheckTest {
  private static final String URL = "https://wallets.example.com/v1/wallets/w1/rpc";
  private static final String BODY = "{\"method\":\"personal_sign\",\"params\":{\"message\":\"hi\",\"encoding\":\"utf-8\"}}";
  private static final Map<String, String> HEADERS = Map.of("privy-app-id", "app-1");
  private static final AuthorizationPayload PAYLOAD = AuthorizationPayload.of("POST", URL, BODY, HEADERS);

  private final TestSigner a = TestSigner.generate();
  private final TestSigner b = TestSigner.generate();
  private final TestSigner c = TestSigner.generate();

  @Test
  void oneOfOneIsSatisfiedByItsKey() {
    final QuorumResult result = check(header(a.sign(PAYLOAD))).evaluate(keys(1, a));

    assertThat(result.outcome()).isEqualTo(Outcome.SATISFIED);
    assertThat(result.satisfied()).isTrue();
    assertThat(result.verifiedKeys()).containsExactly(a.publicKey());
    assertThat(result.approvals()).isEqualTo(1);
  }

  @Test
  void oneOfOneRejectsAnotherKeysSignature() {
    final QuorumResult result = check(header(b.sign(PAYLOAD))).evaluate(keys(1, a));

    assertThat(result.outcome()).isEqualTo(Outcome.ZERO_CORRECT_SIGNATURES);
    assertThat(result.outcome().privyErrorCode()).contains("zero_correct_authorization_signatures");
    assertThat(result.verifiedKeys()).isEmpty();
  }

  @Test
  void twoOfThreeIsSatisfiedByAnyTwoInAnyOrder() {
    final QuorumResult result = check(header(c.sign(PAYLOAD), a.sign(PAYLOAD))).evaluate(keys(2, a, b, c));

    assertThat(result.satisfied()).isTrue();
    assertThat(result.approvals()).isEqualTo(2);
    assertThat(result.verifiedKeys()).containsExactlyInAnyOrder(a.publicKey(), c.publicKey());
  }

  @Test
  void twoOfTwoWithOneSignatureIsInsufficient() {
    final QuorumResult result = check(header(b.sign(PAYLOAD))).evaluate(keys(2, a, b));

    assertThat(result.outcome()).isEqualTo(Outcome.INSUFFICIENT_CORRECT_SIGNATURES);
    assertThat(result.outcome().privyErrorCode()).contains("insufficient_correct_authorization_signatures");
    assertThat(result.approvals()).isEqualTo(1);
    assertThat(result.required()).isEqualTo(2);
  }

  @Test
  void aKeySigningTwiceCountsOnce() {
    // ECDSA is randomized: two different signatures from the same key.
    final QuorumResult result = check(header(a.sign(PAYLOAD), a.sign(PAYLOAD))).evaluate(keys(2, a, b));

    assertThat(result.outcome()).isEqualTo(Outcome.INSUFFICIENT_CORRECT_SIGNATURES);
    assertThat(result.approvals()).isEqualTo(1);
  }

  @Test
  void theSameSignatureRepeatedCountsOnce() {
    final String signature = a.sign(PAYLOAD);

    assertThat(check(header(signature, signature)).evaluate(keys(2, a, b)).approvals()).isEqualTo(1);
  }

  @Test
  void nullThresholdNeedsEveryMember() {
    final KeyQuorum all = KeyQuorum.ofKeys("q", List.of(a.publicKey(), b.publicKey(), c.publicKey()), null);

    assertThat(check(header(a.sign(PAYLOAD), b.sign(PAYLOAD))).evaluate(all).outcome())
        .isEqualTo(Outcome.INSUFFICIENT_CORRECT_SIGNATURES);
    assertThat(check(header(a.sign(PAYLOAD), b.sign(PAYLOAD), c.sign(PAYLOAD))).evaluate(all).satisfied()).isTrue();
  }

  @Test
  void aChildQuorumCountsAsOneMemberOnceItsThresholdIsMet() {
    final KeyQuorum child = KeyQuorum.ofKeys("child", List.of(b.publicKey(), c.publicKey()), 2);
    final KeyQuorum parent = KeyQuorum.of("parent", List.of(a.publicKey()), List.of(), List.of(child), 2);

    final QuorumResult partial = check(header(a.sign(PAYLOAD), b.sign(PAYLOAD))).evaluate(parent);
    final QuorumResult full = check(header(a.sign(PAYLOAD), b.sign(PAYLOAD), c.sign(PAYLOAD))).evaluate(parent);

    assertThat(partial.outcome()).isEqualTo(Outcome.INSUFFICIENT_CORRECT_SIGNATURES);
    assertThat(partial.approvals()).isEqualTo(1);
    assertThat(partial.satisfiedChildIds()).isEmpty();
    assertThat(full.satisfied()).isTrue();
    assertThat(full.approvals()).isEqualTo(2);
    assertThat(full.satisfiedChildIds()).containsExactly("child");
    assertThat(full.verifiedKeys()).hasSize(3);
  }

  @Test
  void aSatisfiedChildAloneMeetsAOneOfNParent() {
    final KeyQuorum child = KeyQuorum.ofKeys("child", List.of(b.publicKey(), c.publicKey()), 1);
    final KeyQuorum parent = KeyQuorum.of("parent", List.of(a.publicKey()), List.of(), List.of(child), 1);

    assertThat(check(header(c.sign(PAYLOAD))).evaluate(parent).satisfied()).isTrue();
  }

  @Test
  void aSignatureOverAnotherUrlFails() {
    final AuthorizationPayload other = AuthorizationPayload.of("POST", URL.replace("w1", "w2"), BODY, HEADERS);

    final QuorumResult result = check(header(a.sign(other))).evaluate(keys(1, a));

    assertThat(result.outcome()).isEqualTo(Outcome.ZERO_CORRECT_SIGNATURES);
  }

  @Test
  void aSignatureOverAnotherMethodOrAppIdFails() {
    final String wrongMethod = a.sign(AuthorizationPayload.of("PATCH", URL, BODY, HEADERS));
    final String wrongApp = a.sign(AuthorizationPayload.of("POST", URL, BODY, Map.of("privy-app-id", "app-2")));

    assertThat(check(header(wrongMethod, wrongApp)).evaluate(keys(1, a)).satisfied()).isFalse();
  }

  @Test
  void toleratesInvalidAndSurplusSignaturesOnceTheThresholdIsMet() {
    final String garbage = Base64.getEncoder().encodeToString(new byte[] {0x30, 0x00});
    final String foreign = TestSigner.generate().sign(PAYLOAD);

    final QuorumResult result =
        check(header(garbage, foreign, b.sign(PAYLOAD), a.sign(PAYLOAD), c.sign(PAYLOAD))).evaluate(keys(2, a, b));

    assertThat(result.satisfied()).isTrue();
    assertThat(result.verifiedKeys()).containsExactlyInAnyOrder(a.publicKey(), b.publicKey());
  }

  @Test
  void acceptsHighSSignatures() {
    final byte[] der = TestSigner.flipS(Base64.getDecoder().decode(a.sign(PAYLOAD)));

    assertThat(check(header(Base64.getEncoder().encodeToString(der))).evaluate(keys(1, a)).satisfied()).isTrue();
  }

  @Test
  void acceptsServerAuthAndGoEncodingsOfABodylessDelete() {
    final String policyUrl = "https://wallets.example.com/v1/policies/p1";
    final AuthorizationPayload payload = AuthorizationPayload.of("DELETE", policyUrl, "{}", HEADERS);
    final String serverAuth = "{\"body\":{},\"headers\":{\"privy-app-id\":\"app-1\"},\"method\":\"DELETE\",\"url\":\""
        + policyUrl + "\",\"version\":1}";
    final String go = "{\"headers\":{\"privy-app-id\":\"app-1\"},\"method\":\"DELETE\",\"url\":\"" + policyUrl + "\",\"version\":1}";

    final QuorumResult result =
        new QuorumCheck(payload, header(a.sign(serverAuth), b.sign(go)), UserSessionKeys.Resolver.NONE).evaluate(keys(2, a, b));

    assertThat(result.satisfied()).isTrue();
  }

  @Test
  void aUserCountsOnceWhicheverSessionKeySigned() {
    final KeyQuorum quorum = KeyQuorum.of("q", List.of(), List.of("did:privy:alice"), List.of(), null);
    final UserSessionKeys.Resolver resolver =
        user -> UserSessionKeys.active(List.of(a.publicKey(), b.publicKey()));

    final QuorumResult result =
        new QuorumCheck(PAYLOAD, header(a.sign(PAYLOAD), b.sign(PAYLOAD)), resolver).evaluate(quorum);

    assertThat(result.satisfied()).isTrue();
    assertThat(result.approvals()).isEqualTo(1);
    assertThat(result.approvingUserIds()).containsExactly("did:privy:alice");
  }

  @Test
  void reportsExpiredOrMissingSessionKeysWhenNothingVerified() {
    final KeyQuorum quorum = KeyQuorum.of("q", List.of(), List.of("did:privy:alice"), List.of(), null);
    final SignatureHeader signatures = header(a.sign(PAYLOAD));

    assertThat(new QuorumCheck(PAYLOAD, signatures, user -> UserSessionKeys.expired()).evaluate(quorum).outcome())
        .isEqualTo(Outcome.USER_SESSION_KEYS_EXPIRED);
    assertThat(new QuorumCheck(PAYLOAD, signatures, UserSessionKeys.Resolver.NONE).evaluate(quorum).outcome())
        .isEqualTo(Outcome.NO_VALID_USER_SESSION_KEYS);
  }

  @Test
  void reportsInsufficientRatherThanUserKeysWhenSomeoneSigned() {
    final KeyQuorum quorum = KeyQuorum.of("q", List.of(a.publicKey()), List.of("did:privy:alice"), List.of(), 2);

    final QuorumResult result =
        new QuorumCheck(PAYLOAD, header(a.sign(PAYLOAD)), user -> UserSessionKeys.expired()).evaluate(quorum);

    assertThat(result.outcome()).isEqualTo(Outcome.INSUFFICIENT_CORRECT_SIGNATURES);
  }

  @Test
  void resolvesEachUserOnceAcrossQuorums() {
    final AtomicInteger lookups = new AtomicInteger();
    final UserSessionKeys.Resolver resolver = user -> {
      lookups.incrementAndGet();
      return UserSessionKeys.active(List.of(a.publicKey()));
    };
    final QuorumCheck check = new QuorumCheck(PAYLOAD, header(a.sign(PAYLOAD)), resolver);
    final KeyQuorum owner = KeyQuorum.of("owner", List.of(b.publicKey()), List.of("did:privy:alice"), List.of(), 2);
    final KeyQuorum signer = KeyQuorum.of("signer", List.of(), List.of("did:privy:alice"), List.of(), 1);

    assertThat(check.evaluate(owner).satisfied()).isFalse();
    assertThat(check.evaluate(signer).satisfied()).isTrue();
    assertThat(check.evaluate(signer).satisfied()).isTrue();
    assertThat(lookups).hasValue(1);
  }

  @Test
  void givesTheSameVerdictWhenAKeyAppearsInSeveralQuorums() {
    final QuorumCheck check = new QuorumCheck(PAYLOAD, header(a.sign(PAYLOAD), b.sign(PAYLOAD)), UserSessionKeys.Resolver.NONE);

    assertThat(check.evaluate(keys(1, a)).satisfied()).isTrue();
    assertThat(check.evaluate(keys(2, b, a)).satisfied()).isTrue();
    assertThat(check.evaluate(keys(2, c, a)).outcome()).isEqualTo(Outcome.INSUFFICIENT_CORRECT_SIGNATURES);
  }

  private KeyQuorum keys(final Integer threshold, final TestSigner... signers) {
    final List<P256PublicKey> keys = new ArrayList<>();
    for (final TestSigner signer : signers) {
      keys.add(signer.publicKey());
    }
    return KeyQuorum.ofKeys("q", keys, threshold);
  }

  private static SignatureHeader header(final String... signatures) {
    return SignatureHeader.parse(String.join(",", signatures)).orElseThrow();
  }

  private static QuorumCheck check(final SignatureHeader header) {
    return new QuorumCheck(PAYLOAD, header, UserSessionKeys.Resolver.NONE);
  }
}
