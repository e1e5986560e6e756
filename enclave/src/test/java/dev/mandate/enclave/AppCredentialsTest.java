package dev.mandate.enclave;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mandate.enclave.keys.DevKeyWrapper;
import dev.mandate.enclave.protocol.CreateSealKey;
import dev.mandate.enclave.protocol.EnclaveResponse;
import dev.mandate.enclave.protocol.Execute;
import dev.mandate.enclave.protocol.Executed;
import dev.mandate.enclave.protocol.HttpEnvelope;
import dev.mandate.enclave.protocol.Refused;
import dev.mandate.enclave.protocol.SealKeyCreated;
import dev.mandate.enclave.protocol.SealedRecord;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * App credentials are sealed by the enclave, and every request the host authenticated by app secret
 * is held to the sealed hash: a host that checked the secret against an edited, forged or missing
 * app record is refused.
 */
class AppCredentialsTest {
  private static final String APP = "appcredentialstest000001";
  private static final String GENUINE = "a".repeat(64);
  private static final String ATTACKERS = "b".repeat(64);

  @TempDir
  Path dir;
  private Enclave enclave;
  private String seal;
  private SealedRecord app;

  @BeforeEach
  void setUp() {
    enclave = new Enclave(DevKeyWrapper.builder().keyFile(dir.resolve("dev.key")).build());
    seal = ((SealKeyCreated) enclave.handle(new CreateSealKey())).wrappedSealKey();
    final Executed put = (Executed) enclave.handle(execute("PUT", "/v1/apps/" + APP, "{\"secret_sha256\":\"" + GENUINE + "\"}",
        List.of(), Map.of()));
    app = put.created().get(0);
  }

  private Execute execute(final String method, final String path, final String body, final List<SealedRecord> records,
      final Map<String, String> inputs) {
    return new Execute(APP, seal, new HttpEnvelope(method, "http://127.0.0.1:8080", path, body, Map.of("privy-app-id", APP),
        Optional.empty()), records, false, inputs);
  }

  private EnclaveResponse createWallet(final List<SealedRecord> records, final String presentedHash) {
    return enclave.handle(execute("POST", "/v1/wallets", "{\"chain_type\":\"ethereum\"}", records,
        Map.of(Execute.APP_SECRET_SHA256, presentedHash)));
  }

  @Test
  void theAppRecordIsSealedAndAMatchingSecretActs() {
    assertThat(app.kind()).isEqualTo("app");
    assertThat(app.id()).isEqualTo(APP);
    assertThat(app.doc()).contains(GENUINE);
    assertThat(createWallet(List.of(app), GENUINE)).isInstanceOf(Executed.class);
  }

  @Test
  void anotherSecretThanTheSealedOneIsUnauthorized() {
    assertThat(createWallet(List.of(app), ATTACKERS)).isInstanceOfSatisfying(Refused.class,
        r -> assertThat(r.reason()).isEqualTo(Refused.Reason.UNAUTHORIZED));
  }

  @Test
  void anAppRecordEditedOrForgedInTheTableIsAnIntegrityFailure() {
    final SealedRecord edited = new SealedRecord("app", APP, app.doc().replace(GENUINE, ATTACKERS), app.seal());
    assertThat(createWallet(List.of(edited), ATTACKERS)).isInstanceOfSatisfying(Refused.class,
        r -> assertThat(r.reason()).isEqualTo(Refused.Reason.INTEGRITY));
    final SealedRecord forged = new SealedRecord("app", APP, app.doc().replace(GENUINE, ATTACKERS), "");
    assertThat(createWallet(List.of(forged), ATTACKERS)).isInstanceOfSatisfying(Refused.class,
        r -> assertThat(r.reason()).isEqualTo(Refused.Reason.INTEGRITY));
  }

  @Test
  void aMissingAppRecordIsAnIntegrityFailure() {
    assertThat(createWallet(List.of(), GENUINE)).isInstanceOfSatisfying(Refused.class,
        r -> assertThat(r.reason()).isEqualTo(Refused.Reason.INTEGRITY));
  }

  @Test
  void rotationKeepsTheCreationTimeAndReplacesTheHash() {
    final Executed rotated = (Executed) enclave.handle(execute("PUT", "/v1/apps/" + APP,
        "{\"secret_sha256\":\"" + ATTACKERS + "\"}", List.of(app), Map.of()));
    assertThat(rotated.created()).isEmpty();
    final SealedRecord updated = rotated.updated().get(0);
    assertThat(createWallet(List.of(updated), ATTACKERS)).isInstanceOf(Executed.class);
    assertThat(createWallet(List.of(updated), GENUINE)).isInstanceOf(Refused.class);
  }

  @Test
  void anAppCannotSetAnotherAppsCredentialsNorABadHash() {
    assertThat(enclave.handle(execute("PUT", "/v1/apps/otherapp", "{\"secret_sha256\":\"" + GENUINE + "\"}", List.of(), Map.of())))
        .isInstanceOfSatisfying(Refused.class, r -> assertThat(r.reason()).isEqualTo(Refused.Reason.INVALID_REQUEST));
    assertThat(enclave.handle(execute("PUT", "/v1/apps/" + APP, "{\"secret_sha256\":\"nothex\"}", List.of(), Map.of())))
        .isInstanceOfSatisfying(Refused.class, r -> assertThat(r.reason()).isEqualTo(Refused.Reason.INVALID_REQUEST));
  }
}
