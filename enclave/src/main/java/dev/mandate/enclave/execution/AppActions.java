package dev.mandate.enclave.execution;

import dev.mandate.enclave.AuthorizationException;
import dev.mandate.enclave.IntegrityException;
import dev.mandate.enclave.InvalidRequestException;
import dev.mandate.enclave.protocol.Executed;
import dev.mandate.enclave.protocol.SealedRecord;
import dev.mandate.enclave.records.AppRecord;
import dev.mandate.enclave.records.RecordSealer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * App credentials: {@code PUT /v1/apps/{app_id}} (Mandate's own admin operation, never routed from
 * HTTP) seals an app's secret hash; {@link #checkPresentedSecret} holds every request the host
 * authenticated by app secret to that sealed hash.
 */
final class AppActions {
  private final Clock clock;

  AppActions(final Clock clock) {
    this.clock = clock;
  }

  /** Creates or rotates the app record with the body's {@code secret_sha256}. */
  Executed put(final Request request, final VerifiedRecords records, final RecordSealer sealer, final String appId) {
    if (!appId.equals(request.appId)) {
      throw new InvalidRequestException("An app can only set its own credentials.");
    }
    final String hash = request.body().path("secret_sha256").asText("");
    if (!AppRecord.isSha256Hex(hash)) {
      throw new InvalidRequestException("secret_sha256 must be 64 lowercase hex characters.");
    }
    final Optional<AppRecord> existing = records.find(AppRecord.KIND, appId).map(r -> AppRecord.fromDoc(r.doc()));
    final long createdAt = existing.map(AppRecord::createdAt).orElse(clock.millis());
    final SealedRecord sealed = sealer.seal(appId, AppRecord.KIND, appId, new AppRecord(appId, hash, createdAt).toDoc());
    return new Executed(Optional.empty(), Optional.of(sealed), existing.isPresent() ? List.of() : List.of(sealed),
        existing.isPresent() ? List.of(sealed) : List.of(), List.of());
  }

  /**
   * When the host authenticated the request by app secret, the secret's hash must be the one in the
   * app's sealed record: a host that checked against an edited or forged record is refused here (the
   * record's seal fails, or it is missing: integrity; a genuine record with another hash: 401).
   */
  static void checkPresentedSecret(final String appId, final Optional<String> presentedSha256, final VerifiedRecords records) {
    if (presentedSha256.isEmpty()) {
      return;
    }
    final AppRecord app = records.find(AppRecord.KIND, appId).map(r -> AppRecord.fromDoc(r.doc()))
        .orElseThrow(() -> new IntegrityException("the app record is missing"));
    if (!MessageDigest.isEqual(app.secretSha256().getBytes(StandardCharsets.US_ASCII),
        presentedSha256.get().getBytes(StandardCharsets.US_ASCII))) {
      // A genuine record with another secret: e.g. a host still caching a secret rotated away.
      throw new AuthorizationException("invalid_credentials", "Invalid app ID or app secret.");
    }
  }
}
