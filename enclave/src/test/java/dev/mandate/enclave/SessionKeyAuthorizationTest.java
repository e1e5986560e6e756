package dev.mandate.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mandate.enclave.authorization.AuthorizationPayload;
import dev.mandate.enclave.authorization.P256PublicKey;
import dev.mandate.enclave.keys.DevKeyWrapper;
import dev.mandate.enclave.keys.KeyContext;
import dev.mandate.enclave.keys.KeyWrapper;
import dev.mandate.enclave.keys.WrappedKey;
import dev.mandate.enclave.protocol.CreateSealKey;
import dev.mandate.enclave.protocol.EnclaveResponse;
import dev.mandate.enclave.protocol.Execute;
import dev.mandate.enclave.protocol.Executed;
import dev.mandate.enclave.protocol.HttpEnvelope;
import dev.mandate.enclave.protocol.Refused;
import dev.mandate.enclave.protocol.SealKeyCreated;
import dev.mandate.enclave.protocol.SealedRecord;
import dev.mandate.enclave.records.Docs;
import dev.mandate.enclave.records.RecordSealer;
import dev.mandate.enclave.records.SessionKeyRecord;
import dev.mandate.enclave.records.UserRecord;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user counts in a quorum through a session key only while it is unexpired and, if one-time,
 * unused; the enclave says which of those failed, with Privy's codes.
 */
class SessionKeyAuthorizationTest {
  private static final String APP = "sessionapp00000000000001";
  private static final String USER = "did:privy:sessionuser0000000000001";
  private static final String MESSAGE = "{\"method\":\"personal_sign\",\"params\":{\"message\":\"hi\",\"encoding\":\"utf-8\"}}";

  @TempDir
  Path dir;
  private Instant now = Instant.parse("2026-11-22T00:00:00Z");
  private Enclave enclave;
  private String seal;
  private RecordSealer sealer;
  private final List<SealedRecord> records = new ArrayList<>();
  private String walletId;

  @BeforeEach
  void setUp() {
    final KeyWrapper keys = DevKeyWrapper.builder().keyFile(dir.resolve("dev.key")).build();
    enclave = new Enclave(keys, new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(final java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return now;
      }
    });
    seal = ((SealKeyCreated) enclave.handle(new CreateSealKey())).wrappedSealKey();
    sealer = new RecordSealer(keys.unwrap(WrappedKey.parse(seal), KeyContext.recordSeal(KeyContext.GLOBAL, "seal-master-v1")));
    final UserRecord user = new UserRecord(USER, Docs.object().arrayNode(), Docs.object(), now.getEpochSecond());
    records.add(sealer.seal(APP, UserRecord.KIND, USER, user.toDoc()));
    final Executed wallet = (Executed) enclave.handle(execute("POST", "/v1/wallets",
        "{\"chain_type\":\"ethereum\",\"owner\":{\"user_id\":\"" + USER + "\"}}", Optional.empty()));
    records.addAll(wallet.created());
    walletId = wallet.primary().orElseThrow().id();
  }

  @Test
  void anUnexpiredSessionKeySignsAndAnExpiredOneIsRefusedAsExpired() throws Exception {
    final KeyPair key = p256();
    records.add(session(key, now.plus(Duration.ofMinutes(1)), false, false));
    assertThat(sign(key)).isInstanceOf(Executed.class);
    now = now.plus(Duration.ofMinutes(2));
    assertRefused(sign(key), "user_session_keys_expired");
  }

  @Test
  void aOneTimeKeyWorksOnceAndIsThenMarkedUsed() throws Exception {
    final KeyPair key = p256();
    final SealedRecord once = session(key, now.plus(Duration.ofMinutes(5)), true, false);
    records.add(once);
    final EnclaveResponse first = sign(key);
    assertThat(first).isInstanceOf(Executed.class);
    final SealedRecord used = ((Executed) first).updated().stream()
        .filter(r -> r.kind().equals(SessionKeyRecord.KIND)).findFirst().orElseThrow();
    assertThat(SessionKeyRecord.fromDoc(used.doc()).used()).isTrue();
    records.remove(once);
    records.add(used);
    assertRefused(sign(key), "no_valid_user_session_keys");
  }

  @Test
  void aUserWithoutSessionKeysAndAnotherUsersKeyAreRefused() throws Exception {
    final KeyPair key = p256();
    assertRefused(sign(key), "no_valid_user_session_keys");
    final SessionKeyRecord someoneElse = new SessionKeyRecord(SessionKeyRecord.idFor("did:privy:other", fingerprint(key)), "did:privy:other",
        Base64.getEncoder().encodeToString(key.getPublic().getEncoded()), now.plusSeconds(60).toEpochMilli(), false, false,
        now.toEpochMilli());
    records.add(sealer.seal(APP, SessionKeyRecord.KIND, someoneElse.id(), someoneElse.toDoc()));
    assertRefused(sign(key), "no_valid_user_session_keys");
  }

  @Test
  void aSessionKeyFiledUnderAnIdThatIsNotItsFingerprintDoesNotCount() throws Exception {
    final KeyPair key = p256();
    final SessionKeyRecord misfiled = new SessionKeyRecord(SessionKeyRecord.idFor(USER, Ids.mint()), USER,
        Base64.getEncoder().encodeToString(key.getPublic().getEncoded()), now.plusSeconds(60).toEpochMilli(), false, false,
        now.toEpochMilli());
    records.add(sealer.seal(APP, SessionKeyRecord.KIND, misfiled.id(), misfiled.toDoc()));
    assertRefused(sign(key), "no_valid_user_session_keys");
    records.add(session(key, now.plusSeconds(60), false, false));
    assertThat(sign(key)).isInstanceOf(Executed.class);
  }

  private SealedRecord session(final KeyPair key, final Instant expires, final boolean oneTime, final boolean used) {
    final SessionKeyRecord record = new SessionKeyRecord(SessionKeyRecord.idFor(USER, fingerprint(key)), USER,
        Base64.getEncoder().encodeToString(key.getPublic().getEncoded()), expires.toEpochMilli(), oneTime, used,
        now.toEpochMilli());
    return sealer.seal(APP, SessionKeyRecord.KIND, record.id(), record.toDoc());
  }

  private static String fingerprint(final KeyPair key) {
    return P256PublicKey.parse(Base64.getEncoder().encodeToString(key.getPublic().getEncoded())).fingerprint();
  }

  private EnclaveResponse sign(final KeyPair key) throws Exception {
    final String path = "/v1/wallets/" + walletId + "/rpc";
    final byte[] payload = AuthorizationPayload.of("POST", "http://127.0.0.1:8080" + path, MESSAGE,
        Map.of("privy-app-id", APP)).canonicalBytes();
    final Signature signer = Signature.getInstance("SHA256withECDSA");
    signer.initSign(key.getPrivate());
    signer.update(payload);
    return enclave.handle(execute("POST", path, MESSAGE, Optional.of(Base64.getEncoder().encodeToString(signer.sign()))));
  }

  private Execute execute(final String method, final String path, final String body, final Optional<String> signatures) {
    return new Execute(APP, seal, new HttpEnvelope(method, "http://127.0.0.1:8080", path, body, Map.of("privy-app-id", APP),
        signatures), List.copyOf(records), false);
  }

  private static KeyPair p256() throws Exception {
    final KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  private static void assertRefused(final EnclaveResponse response, final String code) {
    assertThat(response).isInstanceOf(Refused.class);
    assertThat(((Refused) response).reason()).isEqualTo(Refused.Reason.UNAUTHORIZED);
    assertThat(((Refused) response).code()).isEqualTo(code);
  }
}
