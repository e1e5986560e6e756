package dev.mandate.enclave.execution;

import dev.mandate.enclave.InvalidRequestException;
import dev.mandate.enclave.RecordMissingException;
import dev.mandate.enclave.authorization.KeyQuorum;
import dev.mandate.enclave.authorization.P256PublicKey;
import dev.mandate.enclave.protocol.SealedRecord;
import dev.mandate.enclave.records.QuorumRecord;
import dev.mandate.enclave.records.RecordSealer;
import dev.mandate.enclave.records.WalletRecord;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The records a request came with, each checked against its seal before anything reads it. One bad
 * seal refuses the whole request: a tampered record is never used, not even as a fallback.
 */
final class VerifiedRecords {
  private final Map<String, SealedRecord> byKey = new HashMap<>();
  /** Parsed quorums and policies, each parsed once per request (the authorizer, the policy gate and the
   *  signer pins read the same ones; the parsed forms are immutable). */
  private final Map<String, Object> parsed = new HashMap<>();

  VerifiedRecords(final String appId, final List<SealedRecord> records, final RecordSealer sealer) {
    for (final SealedRecord record : records) {
      sealer.verify(appId, record);
      byKey.put(key(record.kind(), record.id()), record);
    }
  }

  Optional<SealedRecord> find(final String kind, final String id) {
    return Optional.ofNullable(byKey.get(key(kind, id)));
  }

  Optional<WalletRecord> wallet(final String id) {
    return find(WalletRecord.KIND, id).map(r -> WalletRecord.fromDoc(r.doc()));
  }

  Optional<WalletRecord> walletsMatching(final java.util.function.Predicate<WalletRecord> test) {
    return byKey.values().stream()
        .filter(r -> r.kind().equals(WalletRecord.KIND))
        .map(r -> WalletRecord.fromDoc(r.doc()))
        .filter(test)
        .findFirst();
  }

  Optional<QuorumRecord> quorum(final String id) {
    return find(QuorumRecord.KIND, id).map(r -> (QuorumRecord) parsed.computeIfAbsent(key(r.kind(), r.id()),
        k -> QuorumRecord.fromDoc(r.doc())));
  }

  Optional<dev.mandate.enclave.records.UserRecord> user(final String id) {
    return find(dev.mandate.enclave.records.UserRecord.KIND, id)
        .map(r -> dev.mandate.enclave.records.UserRecord.fromDoc(r.doc()));
  }

  dev.mandate.enclave.records.UserRecord requireUser(final String id, final String field) {
    return user(id).orElseThrow(() -> new InvalidRequestException(field + " " + id + " is not a user of this app."));
  }

  Optional<dev.mandate.enclave.policy.Policy> policy(final String id) {
    return find("policy", id).map(r -> (dev.mandate.enclave.policy.Policy) parsed.computeIfAbsent(key(r.kind(), r.id()),
        k -> dev.mandate.enclave.policy.Policy.fromDoc(dev.mandate.enclave.records.Docs.parse(r.doc()))));
  }

  Optional<dev.mandate.enclave.records.ConditionSetRecord> conditionSet(final String id) {
    return find(dev.mandate.enclave.records.ConditionSetRecord.KIND, id)
        .map(r -> dev.mandate.enclave.records.ConditionSetRecord.fromDoc(r.doc()));
  }

  /** A user's sealed session keys (the host loads them with the user). */
  List<dev.mandate.enclave.records.SessionKeyRecord> sessionKeys(final String userId) {
    return byKey.values().stream()
        .filter(r -> r.kind().equals(dev.mandate.enclave.records.SessionKeyRecord.KIND))
        .map(r -> dev.mandate.enclave.records.SessionKeyRecord.fromDoc(r.doc()))
        .filter(k -> k.userId().equals(userId))
        .toList();
  }

  <T> List<T> all(final String kind, final java.util.function.Function<SealedRecord, T> parse) {
    return byKey.values().stream().filter(r -> r.kind().equals(kind)).map(parse).toList();
  }

  QuorumRecord requireQuorum(final String id, final String field) {
    return quorum(id).orElseThrow(() -> new InvalidRequestException(field + " " + id + " is not a key quorum of this app."));
  }

  /** The quorum with its child quorums resolved, ready to check signatures against. */
  KeyQuorum keyQuorum(final String id) {
    final QuorumRecord record = quorum(id).orElseThrow(() -> new RecordMissingException("Key quorum " + id + " not found."));
    final List<KeyQuorum> children = new ArrayList<>();
    for (final String childId : record.keyQuorumIds()) {
      final QuorumRecord child = quorum(childId)
          .orElseThrow(() -> new RecordMissingException("Key quorum " + childId + " not found."));
      children.add(KeyQuorum.of(child.id(), keys(child), child.userIds(), List.of(), boxed(child)));
    }
    return KeyQuorum.of(record.id(), keys(record), record.userIds(), children, boxed(record));
  }

  private static List<P256PublicKey> keys(final QuorumRecord record) {
    return record.publicKeys().stream().map(VerifiedRecords::parsed).toList();
  }

  /**
   * Parsed keys by their stored text. Decoding and validating a point costs more than verifying a
   * signature with it, and the same owner keys come back on every request. Public data only; bounded.
   */
  private static final dev.mandate.enclave.records.Memo<P256PublicKey> PARSED =
      new dev.mandate.enclave.records.Memo<>(P256PublicKey::parse, 10_000, 1_024);

  private static P256PublicKey parsed(final String text) {
    return PARSED.apply(text);
  }

  private static Integer boxed(final QuorumRecord record) {
    return record.threshold().isPresent() ? record.threshold().getAsInt() : null;
  }

  private static String key(final String kind, final String id) {
    return kind + "#" + id;
  }
}
