package dev.mandate.enclave;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mandate.enclave.authorization.AuthorizationPayload;
import dev.mandate.enclave.authorization.P256PublicKey;
import dev.mandate.enclave.keys.DevKeyWrapper;
import dev.mandate.enclave.keys.KeyContext;
import dev.mandate.enclave.keys.KeyUnwrapException;
import dev.mandate.enclave.keys.WrappedKey;
import dev.mandate.enclave.protocol.CreateSealKey;
import dev.mandate.enclave.protocol.EnclaveResponse;
import dev.mandate.enclave.protocol.Execute;
import dev.mandate.enclave.protocol.Executed;
import dev.mandate.enclave.protocol.HttpEnvelope;
import dev.mandate.enclave.protocol.Refused;
import dev.mandate.enclave.protocol.SealKeyCreated;
import dev.mandate.enclave.protocol.SealedRecord;
import dev.mandate.enclave.records.ActionRecord;
import dev.mandate.enclave.records.QuorumRecord;
import dev.mandate.testkit.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Recurring actions inside the enclave: the key is made and wrapped here, bound to the action; a run
 * is signed only for the sealed request at the sealed next time, once it has come, and only once per
 * version of the record.
 */
class RecurringActionsTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String APP = "recurringtestapp00000001";
  private static final String BASE = "https://mandate.internal";
  private static final String MESSAGE = "{\"method\":\"personal_sign\",\"params\":{\"message\":\"hi\",\"encoding\":\"utf-8\"}}";

  @TempDir
  Path dir;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T12:00:00Z"));
  private DevKeyWrapper keys;
  private Enclave enclave;
  private String seal;
  private SealedRecord wallet;

  @BeforeEach
  void setUp() {
    keys = DevKeyWrapper.builder().keyFile(dir.resolve("dev.key")).build();
    enclave = new Enclave(keys, clock);
    seal = ((SealKeyCreated) enclave.handle(new CreateSealKey())).wrappedSealKey();
    wallet = executed(call("POST", "/v1/wallets", "{\"chain_type\":\"ethereum\"}", List.of())).primary().orElseThrow();
  }

  @Test
  void theActionKeyIsGeneratedHereWrappedToTheActionAndRegisteredAsItsQuorum() {
    final Executed created = create("rate(1 minute)");
    final ActionRecord action = ActionRecord.fromDoc(created.primary().orElseThrow().doc());
    final QuorumRecord quorum = QuorumRecord.fromDoc(created.created().get(1).doc());
    assertThat(quorum.id()).isEqualTo(action.signerId());
    assertThat(quorum.publicKeys()).containsExactly(action.publicKey());
    final WrappedKey wrapped = WrappedKey.parse(action.wrappedKey().orElseThrow());
    assertThat(keys.unwrap(wrapped, KeyContext.actionKey(APP, action.id()))).isNotEmpty();
    assertThatThrownBy(() -> keys.unwrap(wrapped, KeyContext.actionKey(APP, "another-action")))
        .isInstanceOf(KeyUnwrapException.class);
    assertThatThrownBy(() -> keys.unwrap(wrapped, KeyContext.walletKey(APP, action.id())))
        .isInstanceOf(KeyUnwrapException.class);
    assertThat(action.toApiJson().has("wrapped_key")).isFalse();
  }

  @Test
  void aRunIsSignedForTheSealedRequestAtTheSealedTimeOnlyOnceItHasCome() throws Exception {
    final SealedRecord record = create("rate(1 minute)").primary().orElseThrow();
    final ActionRecord action = ActionRecord.fromDoc(record.doc());
    assertThat(refusal(signRun(record, action.nextRunAt())).code()).isEqualTo("run_not_due");

    clock.advance(Duration.ofMinutes(1));
    assertThat(refusal(signRun(record, action.nextRunAt() - 60_000)).code()).isEqualTo("run_not_due");
    final Executed signed = executed(signRun(record, action.nextRunAt()));
    final JsonNode result = JSON.readTree(signed.result().orElseThrow());
    assertThat(result.path("outcome").asText()).isEqualTo("signed");
    assertThat(result.path("body").asText()).isEqualTo(action.request());
    final Map<String, String> headers = new LinkedHashMap<>();
    result.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
    assertThat(headers).containsEntry("privy-idempotency-key", "recurring:" + action.id() + "." + String.format("%013d", action.nextRunAt()));
    final byte[] payload = AuthorizationPayload.of("POST", AuthorizationPayload.url(BASE, "/v1/wallets/" + action.walletId() + "/rpc"),
        action.request(), headers).canonicalBytes();
    assertThat(P256PublicKey.parse(action.publicKey()).verify(payload, Base64.getDecoder().decode(result.path("authorization").asText())))
        .isTrue();

    final ActionRecord advanced = ActionRecord.fromDoc(signed.updated().get(0).doc());
    assertThat(advanced.runs()).isEqualTo(1);
    assertThat(advanced.nextRunAt()).isEqualTo(action.nextRunAt() + 60_000);
    // The advanced record will not sign the same time again.
    assertThat(refusal(signRun(signed.updated().get(0), action.nextRunAt())).code()).isEqualTo("run_not_due");
  }

  @Test
  void aPausedOrEditedActionSignsNothing() {
    final SealedRecord record = create("rate(1 minute)").primary().orElseThrow();
    final ActionRecord action = ActionRecord.fromDoc(record.doc());
    final SealedRecord paused = executed(call("POST", "/v1/recurring_actions/" + action.id() + "/pause", "", List.of(record)))
        .primary().orElseThrow();
    clock.advance(Duration.ofMinutes(1));
    assertThat(refusal(signRun(paused, action.nextRunAt())).code()).isEqualTo("recurring_action_not_active");

    final SealedRecord edited = new SealedRecord(record.kind(), record.id(),
        record.doc().replace("\"message\":\"hi\"", "\"message\":\"pay me\""), record.seal());
    assertThat(refusal(signRun(edited, action.nextRunAt())).reason()).isEqualTo(Refused.Reason.INTEGRITY);
  }

  @Test
  void aRunMoreThanTwelveHoursLateIsSkippedNotSigned() throws Exception {
    final SealedRecord record = create("rate(1 minute)").primary().orElseThrow();
    final ActionRecord action = ActionRecord.fromDoc(record.doc());
    clock.advance(Duration.ofHours(13));
    final Executed skipped = executed(signRun(record, action.nextRunAt()));
    final JsonNode result = JSON.readTree(skipped.result().orElseThrow());
    assertThat(result.path("outcome").asText()).isEqualTo("missed");
    assertThat(result.has("authorization")).isFalse();
    assertThat(ActionRecord.fromDoc(skipped.updated().get(0).doc()).nextRunAt()).isGreaterThan(clock.millis());
  }

  private Executed create(final String schedule) {
    return executed(call("POST", "/v1/recurring_actions", "{\"wallet_id\":\"" + wallet.id() + "\",\"schedule\":\"" + schedule
        + "\",\"request\":" + MESSAGE + "}", List.of(wallet)));
  }

  private EnclaveResponse signRun(final SealedRecord action, final long scheduledAt) {
    return call("POST", "/v1/recurring_actions/" + action.id() + "/runs", "{\"scheduled_at\":" + scheduledAt + "}", List.of(action));
  }

  private EnclaveResponse call(final String method, final String path, final String body, final List<SealedRecord> records) {
    return enclave.handle(new Execute(APP, seal, new HttpEnvelope(method, BASE, path, body, Map.of("privy-app-id", APP),
        Optional.empty()), records, false));
  }

  private static Executed executed(final EnclaveResponse response) {
    assertThat(response).as(response.toString()).isInstanceOf(Executed.class);
    return (Executed) response;
  }

  private static Refused refusal(final EnclaveResponse response) {
    assertThat(response).as(response.toString()).isInstanceOf(Refused.class);
    return (Refused) response;
  }
}
