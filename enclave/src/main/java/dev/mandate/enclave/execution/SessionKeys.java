package dev.mandate.enclave.execution;

import dev.mandate.enclave.authorization.P256PublicKey;
import dev.mandate.enclave.authorization.QuorumResult;
import dev.mandate.enclave.authorization.UserSessionKeys;
import dev.mandate.enclave.protocol.Executed;
import dev.mandate.enclave.protocol.SealedRecord;
import dev.mandate.enclave.records.RecordSealer;
import dev.mandate.enclave.records.SessionKeyRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Users' session keys for one request: which count as the user (sealed, unexpired, and — for
 * one-time keys — unused), and, once the request has been carried out, which one-time keys it used
 * up. A used key is written back as used in the same transaction as the action, so a second use
 * either sees it used or loses the conditional write.
 */
final class SessionKeys implements UserSessionKeys.Resolver {
  private final VerifiedRecords records;
  private final Instant now;
  private final Set<P256PublicKey> verified = new HashSet<>();

  SessionKeys(final VerifiedRecords records, final Instant now) {
    this.records = records;
    this.now = now;
  }

  @Override
  public UserSessionKeys sessionKeys(final String userId) {
    final List<SessionKeyRecord> keys = records.sessionKeys(userId).stream().filter(SessionKeys::filedUnderItsKey).toList();
    if (keys.isEmpty()) {
      return UserSessionKeys.none();
    }
    final List<P256PublicKey> usable = keys.stream()
        .filter(k -> k.usableAt(now.toEpochMilli()))
        .map(k -> P256PublicKey.parse(k.publicKey()))
        .toList();
    if (!usable.isEmpty()) {
      return UserSessionKeys.active(usable);
    }
    final boolean allExpired = keys.stream().allMatch(k -> now.toEpochMilli() >= k.expiresAt());
    return allExpired ? UserSessionKeys.expired() : UserSessionKeys.none();
  }

  /** The host finds a key by the fingerprint in its id; a record filed under another id does not count. */
  private static boolean filedUnderItsKey(final SessionKeyRecord key) {
    return key.id().equals(SessionKeyRecord.idFor(key.userId(), P256PublicKey.parse(key.publicKey()).fingerprint()));
  }

  /** Remembers the keys of a quorum that authorized the request. */
  void note(final QuorumResult satisfied) {
    verified.addAll(satisfied.verifiedKeys());
  }

  /** {@code executed}, plus the one-time keys it used up, marked used. */
  Executed consume(final Executed executed, final String appId, final RecordSealer sealer) {
    final List<SealedRecord> updated = new ArrayList<>(executed.updated());
    for (final SessionKeyRecord key : records.all(SessionKeyRecord.KIND, r -> SessionKeyRecord.fromDoc(r.doc()))) {
      if (key.oneTime() && !key.used() && verified.contains(P256PublicKey.parse(key.publicKey()))) {
        updated.add(sealer.seal(appId, SessionKeyRecord.KIND, key.id(), key.markUsed().toDoc()));
      }
    }
    if (updated.size() == executed.updated().size()) {
      return executed;
    }
    return new Executed(executed.result(), executed.primary(), executed.created(), updated, executed.deleted());
  }
}
