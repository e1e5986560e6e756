package dev.mandate.enclave.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.enclave.Ids;
import dev.mandate.enclave.IntegrityException;
import dev.mandate.enclave.InvalidRequestException;
import dev.mandate.enclave.RecordMissingException;
import dev.mandate.enclave.Rng;
import dev.mandate.enclave.authorization.AuthorizationPayload;
import dev.mandate.enclave.keys.KeyContext;
import dev.mandate.enclave.keys.KeyWrapper;
import dev.mandate.enclave.keys.WrappedKey;
import dev.mandate.enclave.protocol.Executed;
import dev.mandate.enclave.protocol.SealedRecord;
import dev.mandate.enclave.records.ActionRecord;
import dev.mandate.enclave.records.Docs;
import dev.mandate.enclave.records.QuorumRecord;
import dev.mandate.enclave.records.RecordSealer;
import dev.mandate.enclave.schedule.Schedule;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Recurring actions: a sealed record saying which request a wallet sends on which schedule, and a
 * P-256 key generated here, wrapped like a wallet key ({@code purpose = action-key}, bound to app and
 * action id) and registered as a one-key quorum the wallet owner adds as a signer.
 *
 * <p>Signing a run ({@code POST /v1/recurring_actions/{id}/runs}, made by the host's worker, never
 * routed from the public API) is the only use of the key: it signs the authorization payload of the
 * sealed request for the sealed next time, and only when that time has come; in the same step the
 * sealed counters advance, so each scheduled time is signed at most once per version of the record.
 */
final class RecurringActions {
  private static final Set<String> CREATE_FIELDS =
      Set.of("wallet_id", "request", "schedule", "end_at", "max_runs", "display_name");
  private static final int MAX_REQUEST_CHARS = 16 * 1024;
  private static final int MAX_DISPLAY_NAME = 100;
  /** A run later than this after its time is skipped ("missed"), not signed: see {@link #signRun}. */
  static final Duration MAX_LATENESS = Duration.ofHours(12);
  /** The signed request expires this long after signing; retries of a claimed run reuse it. */
  static final Duration RUN_EXPIRY = Duration.ofHours(1);
  public static final String RUN_NOT_DUE = "run_not_due";
  public static final String ACTION_NOT_ACTIVE = "recurring_action_not_active";

  private final KeyWrapper keys;

  RecurringActions(final KeyWrapper keys) {
    this.keys = keys;
  }

  Executed create(final Request request, final VerifiedRecords records, final RecordSealer sealer) {
    final ObjectNode body = request.body();
    Fields.allowOnly(body, CREATE_FIELDS);
    final String walletId = Fields.requiredText(body, "wallet_id");
    records.wallet(walletId).orElseThrow(() -> new RecordMissingException("Wallet not found."));
    final JsonNode rpc = body.get("request");
    if (rpc == null || !rpc.isObject() || !rpc.path("method").isTextual()) {
      throw new InvalidRequestException(
          "request must be an rpc request body, e.g. {\"method\":\"eth_sendTransaction\",\"caip2\":…,\"params\":{…}}.");
    }
    final String requestText = rpc.toString();
    if (requestText.length() > MAX_REQUEST_CHARS) {
      throw new InvalidRequestException("request must be at most " + MAX_REQUEST_CHARS + " characters of JSON.");
    }
    final Schedule schedule = schedule(Fields.requiredText(body, "schedule"));
    final Instant now = request.now;
    final OptionalLong endAt = optionalLong(body, "end_at");
    if (endAt.isPresent() && endAt.getAsLong() <= now.toEpochMilli()) {
      throw new InvalidRequestException("end_at must be in the future (Unix ms).");
    }
    final OptionalLong maxRuns = optionalLong(body, "max_runs");
    if (maxRuns.isPresent() && maxRuns.getAsLong() < 1) {
      throw new InvalidRequestException("max_runs must be at least 1.");
    }
    final long next = schedule.following(now, now)
        .orElseThrow(() -> new InvalidRequestException("schedule: never fires after now.")).toEpochMilli();
    final String actionId = Ids.mint();
    final KeyPair pair = generate();
    final String wrapped = wrap(pair, request.appId, actionId);
    final String publicKey = Base64.getEncoder().encodeToString(pair.getPublic().getEncoded());
    final QuorumRecord quorum = new QuorumRecord(Ids.mint(), List.of(publicKey), List.of(), List.of(),
        java.util.OptionalInt.of(1), Optional.of("recurring action " + actionId.substring(0, 12)), now.toEpochMilli());
    final ActionRecord action = new ActionRecord(actionId, walletId, quorum.id(), requestText, schedule.expression(),
        ActionRecord.ACTIVE, 0, next, OptionalLong.empty(), now.toEpochMilli(), endAt, maxRuns,
        Fields.optionalText(body, "display_name", MAX_DISPLAY_NAME), publicKey, Optional.of(wrapped));
    final SealedRecord sealedAction = sealer.seal(request.appId, ActionRecord.KIND, actionId, action.toDoc());
    final SealedRecord sealedQuorum = sealer.seal(request.appId, QuorumRecord.KIND, quorum.id(), quorum.toDoc());
    return new Executed(Optional.empty(), Optional.of(sealedAction), List.of(sealedAction, sealedQuorum), List.of(), List.of());
  }

  /** Pause ({@code active → paused}) or resume ({@code paused|active → active}, next time after now). */
  Executed setStatus(final Request request, final VerifiedRecords records, final RecordSealer sealer, final String id,
      final boolean resume) {
    final ActionRecord action = existing(records, id);
    if (action.status().equals(ActionRecord.DELETED) || action.status().equals(ActionRecord.COMPLETED)) {
      throw new InvalidRequestException("The recurring action is " + action.status() + ".", ACTION_NOT_ACTIVE);
    }
    final ActionRecord updated;
    if (resume) {
      // Resuming does not replay what was missed while paused.
      final long next = schedule(action.schedule()).following(Instant.ofEpochMilli(action.createdAt()), request.now)
          .orElseThrow(() -> new InvalidRequestException("The schedule never fires again.", ACTION_NOT_ACTIVE))
          .toEpochMilli();
      updated = action.withStatus(ActionRecord.ACTIVE, next);
    } else {
      updated = action.withStatus(ActionRecord.PAUSED, action.nextRunAt());
    }
    return updated(request, sealer, updated);
  }

  Executed delete(final Request request, final VerifiedRecords records, final RecordSealer sealer, final String id) {
    final ActionRecord action = existing(records, id);
    return updated(request, sealer, action.deleted());
  }

  /**
   * Signs the run of the sealed request due at {@code scheduled_at} (the body's only field), which
   * must be the sealed next time and must have come, and advances the record past it. A run more
   * than {@link #MAX_LATENESS} late is skipped instead: a restored old record can then only ever
   * re-sign a run whose idempotency key is still remembered, so it cannot send twice.
   */
  Executed signRun(final Request request, final VerifiedRecords records, final RecordSealer sealer, final String id) {
    final ActionRecord action = existing(records, id);
    final ObjectNode body = request.body();
    Fields.allowOnly(body, Set.of("scheduled_at"));
    final JsonNode at = body.get("scheduled_at");
    if (at == null || !at.isIntegralNumber()) {
      throw new InvalidRequestException("scheduled_at is required and must be an integer (Unix ms).");
    }
    if (!action.status().equals(ActionRecord.ACTIVE)) {
      throw new InvalidRequestException("The recurring action is " + action.status() + ".", ACTION_NOT_ACTIVE);
    }
    final long scheduled = at.asLong();
    final long now = request.now.toEpochMilli();
    if (scheduled != action.nextRunAt() || scheduled > now) {
      throw new InvalidRequestException("No run of this action is due at " + scheduled + ".", RUN_NOT_DUE);
    }
    final ActionRecord advanced = advance(action, request.now);
    final String runId = runId(action.id(), scheduled);
    final ObjectNode result = Docs.object().put("run_id", runId).put("scheduled_at", scheduled)
        .put("next_run_at", advanced.nextRunAt()).put("status", advanced.status());
    if (now - scheduled > MAX_LATENESS.toMillis()) {
      result.put("outcome", "missed");
    } else {
      final Map<String, String> headers = new LinkedHashMap<>();
      headers.put(AuthorizationPayload.APP_ID, request.appId);
      headers.put(AuthorizationPayload.IDEMPOTENCY_KEY, "recurring:" + runId);
      headers.put(AuthorizationPayload.REQUEST_EXPIRY, Long.toString(now + RUN_EXPIRY.toMillis()));
      final String path = "/v1/wallets/" + action.walletId() + "/rpc";
      final byte[] payload = AuthorizationPayload.of("POST", AuthorizationPayload.url(request.http.baseUrl(), path),
          action.request(), headers).canonicalBytes();
      result.put("outcome", "signed").put("path", path).put("body", action.request())
          .put("authorization", sign(action, request.appId, payload));
      final ObjectNode h = result.putObject("headers");
      headers.forEach(h::put);
    }
    final SealedRecord sealed = sealer.seal(request.appId, ActionRecord.KIND, advanced.id(), advanced.toDoc());
    return new Executed(Optional.of(result.toString()), Optional.of(sealed), List.of(), List.of(sealed), List.of());
  }

  /** {@code <action id>.<scheduled ms, 13 digits>}: one run per action and scheduled time. */
  static String runId(final String actionId, final long scheduled) {
    return actionId + "." + String.format("%013d", scheduled);
  }

  /** One more run; the next time after now (missed times are not replayed); completed when done. */
  private static ActionRecord advance(final ActionRecord action, final Instant now) {
    final long runs = action.runs() + 1;
    final Optional<Instant> next = schedule(action.schedule()).following(Instant.ofEpochMilli(action.createdAt()), now);
    final boolean limitReached = action.maxRuns().isPresent() && runs >= action.maxRuns().getAsLong();
    final boolean ended = next.isEmpty()
        || action.endAt().isPresent() && next.get().toEpochMilli() > action.endAt().getAsLong();
    final String status = limitReached || ended ? ActionRecord.COMPLETED : ActionRecord.ACTIVE;
    return action.advanced(runs, now.toEpochMilli(), next.map(Instant::toEpochMilli).orElse(action.nextRunAt()), status);
  }

  private Executed updated(final Request request, final RecordSealer sealer, final ActionRecord updated) {
    final SealedRecord sealed = sealer.seal(request.appId, ActionRecord.KIND, updated.id(), updated.toDoc());
    return new Executed(Optional.empty(), Optional.of(sealed), List.of(), List.of(sealed), List.of());
  }

  private static ActionRecord existing(final VerifiedRecords records, final String id) {
    return records.find(ActionRecord.KIND, id).map(r -> ActionRecord.fromDoc(r.doc()))
        .orElseThrow(() -> new RecordMissingException("Recurring action not found."));
  }

  private String wrap(final KeyPair pair, final String appId, final String actionId) {
    final byte[] pkcs8 = pair.getPrivate().getEncoded();
    try {
      return keys.wrap(pkcs8, KeyContext.actionKey(appId, actionId)).toStorageString();
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  /** ECDSA P-256/SHA-256 over {@code payload}, DER, base64: what privy-authorization-signature carries. */
  private String sign(final ActionRecord action, final String appId, final byte[] payload) {
    final String wrapped = action.wrappedKey().orElseThrow(() -> new IntegrityException("action has no key"));
    final byte[] pkcs8 = keys.unwrap(WrappedKey.parse(wrapped), KeyContext.actionKey(appId, action.id()));
    try {
      final KeyFactory factory = KeyFactory.getInstance("EC");
      final Signature signature = Signature.getInstance("SHA256withECDSA");
      signature.initSign(factory.generatePrivate(new PKCS8EncodedKeySpec(pkcs8)), Rng.get());
      signature.update(payload);
      return Base64.getEncoder().encodeToString(signature.sign());
    } catch (GeneralSecurityException e) {
      throw new IntegrityException("action key does not unwrap to a P-256 private key");
    } finally {
      Arrays.fill(pkcs8, (byte) 0);
    }
  }

  private static KeyPair generate() {
    try {
      final KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"), Rng.get());
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("P-256 key generation is unavailable in this JVM", e);
    }
  }

  private static Schedule schedule(final String expression) {
    try {
      return Schedule.parse(expression);
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("schedule: " + e.getMessage());
    }
  }

  private static OptionalLong optionalLong(final ObjectNode body, final String field) {
    final JsonNode v = body.get(field);
    if (v == null || v.isNull()) {
      return OptionalLong.empty();
    }
    if (!v.isIntegralNumber()) {
      throw new InvalidRequestException(field + " must be an integer.");
    }
    return OptionalLong.of(v.asLong());
  }
}
