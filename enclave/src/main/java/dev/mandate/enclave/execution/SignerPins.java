package dev.mandate.enclave.execution;

import dev.mandate.enclave.policy.Aggregation;
import dev.mandate.enclave.policy.Condition;
import dev.mandate.enclave.policy.FieldSource;
import dev.mandate.enclave.policy.Operator;
import dev.mandate.enclave.policy.Policy;
import dev.mandate.enclave.protocol.SealedRecord;
import dev.mandate.enclave.records.ConditionSetRecord;
import dev.mandate.enclave.records.QuorumRecord;
import dev.mandate.enclave.records.Docs;
import dev.mandate.enclave.records.WalletRecord;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * What the owner of a wallet approved when it gave a signer an override policy. The policy, the
 * condition sets and the aggregations it refers to (and theirs) bound the signer; those the wallet's
 * owner does not own — ownerless ones are the app's to change, others another quorum's — could be
 * widened after the owner approved, without the owner (a restricted signer with the app's help). So
 * the wallet record keeps, per signer, a pin: the digest of exactly those records as they were when
 * the binding was made (wallet create, or an owner-authorized PATCH of {@code additional_signers} that
 * adds or changes the signer). A signer whose pin no longer matches is refused until the owner approves
 * again (removes and re-adds it); records
 * the owner itself owns may change freely, since only its signature changes them.
 */
final class SignerPins {
  private static final String AGGREGATION_FIELD_PREFIX = "aggregation.";

  private SignerPins() {}

  /** The signers with their pins for a wallet owned by {@code ownerId}; an ownerless wallet needs none. */
  static List<WalletRecord.Signer> pinned(final List<WalletRecord.Signer> signers, final Optional<String> ownerId,
      final VerifiedRecords records, final List<SealedRecord> created) {
    if (ownerId.isEmpty()) {
      return signers.stream().map(s -> new WalletRecord.Signer(s.signerId(), s.overridePolicyIds())).toList();
    }
    return signers.stream().map(s -> s.overridePolicyIds().isEmpty()
        ? new WalletRecord.Signer(s.signerId(), s.overridePolicyIds())
        : new WalletRecord.Signer(s.signerId(), s.overridePolicyIds(), Optional.of(pin(s.overridePolicyIds(), ownerId.get(),
            records, created)))).toList();
  }

  /**
   * The signers of an updated wallet: an entry the update leaves as it was (same signer, same override)
   * keeps its pin; a new or changed entry is pinned now. An owner change alone keeps every pin, so a
   * transfer approves nothing the app changed; under the new owner the pins are checked against what
   * that owner does not own. To re-approve a signer after its override changed, the owner removes it
   * and adds it again.
   */
  static List<WalletRecord.Signer> carried(final List<WalletRecord.Signer> before, final List<WalletRecord.Signer> after,
      final Optional<String> ownerId, final VerifiedRecords records, final List<SealedRecord> created) {
    final List<WalletRecord.Signer> fresh = pinned(after, ownerId, records, created);
    final List<WalletRecord.Signer> out = new ArrayList<>();
    for (final WalletRecord.Signer signer : fresh) {
      out.add(before.stream()
          .filter(old -> old.signerId().equals(signer.signerId()) && old.overridePolicyIds().equals(signer.overridePolicyIds()))
          .findFirst()
          .map(old -> new WalletRecord.Signer(signer.signerId(), signer.overridePolicyIds(), old.pin()))
          .orElse(signer));
    }
    return List.copyOf(out);
  }

  /**
   * Why this signer's override may not be used, if it may not: the wallet is owned, and what the pin
   * covers changed (or was never pinned).
   */
  static Optional<String> stale(final WalletRecord wallet, final String signerId, final VerifiedRecords records) {
    if (wallet.ownerId().isEmpty()) {
      return Optional.empty();
    }
    final Optional<WalletRecord.Signer> signer = wallet.additionalSigners().stream()
        .filter(s -> s.signerId().equals(signerId)).findFirst();
    if (signer.isEmpty() || signer.get().overridePolicyIds().isEmpty()) {
      return Optional.empty();
    }
    final String now = pin(signer.get().overridePolicyIds(), wallet.ownerId().get(), records, List.of());
    if (signer.get().pin().filter(now::equals).isPresent()) {
      return Optional.empty();
    }
    return Optional.of("this signer's override policy " + String.join(", ", signer.get().overridePolicyIds())
        + ", or a condition set or aggregation it refers to that the wallet's owner does not own, changed after the"
        + " owner approved the signer; the owner must approve it again (remove the signer from additional_signers,"
        + " then add it back)");
  }

  /** SHA-256 over (kind, id, document) of every record in the policies' closure not owned by {@code ownerId}. */
  static String pin(final List<String> policyIds, final String ownerId, final VerifiedRecords records,
      final List<SealedRecord> created) {
    final Owners owners = new Owners(ownerId, records, created);
    final TreeMap<String, String> outside = new TreeMap<>();
    for (final String policyId : policyIds) {
      records.find(PolicyActions.KIND, policyId).ifPresent(record -> {
        final Policy policy = records.policy(policyId).orElseThrow();
        note(record, policy.ownerId(), owners, outside);
        policy.rules().forEach(rule -> rule.conditions().forEach(c -> references(c, owners, records, outside)));
      });
    }
    final List<String> lines = new ArrayList<>();
    outside.forEach((key, doc) -> lines.add(key + "\n" + doc));
    return sha256(String.join("\n\n", lines));
  }

  private static void references(final Condition condition, final Owners owners, final VerifiedRecords records,
      final TreeMap<String, String> outside) {
    sets(condition, owners, records, outside);
    if (condition.fieldSource() == FieldSource.REFERENCE && condition.field().startsWith(AGGREGATION_FIELD_PREFIX)) {
      final String id = condition.field().substring(AGGREGATION_FIELD_PREFIX.length());
      records.find(AggregationActions.KIND, id).ifPresent(record -> {
        final Aggregation aggregation = Aggregation.fromDoc(Docs.parse(record.doc()));
        note(record, aggregation.ownerId(), owners, outside);
        aggregation.conditions().forEach(c -> sets(c, owners, records, outside));
      });
    }
  }

  private static void sets(final Condition condition, final Owners owners, final VerifiedRecords records,
      final TreeMap<String, String> outside) {
    if (condition.operator() != Operator.IN_CONDITION_SET) {
      return;
    }
    final Consumer<String> add = id -> records.find(ConditionSetRecord.KIND, id).ifPresent(record ->
        note(record, ConditionSetRecord.fromDoc(record.doc()).ownerId(), owners, outside));
    condition.values().forEach(add);
  }

  private static void note(final SealedRecord record, final Optional<String> recordOwner, final Owners owners,
      final TreeMap<String, String> outside) {
    if (!recordOwner.filter(owners::isWalletOwner).isPresent()) {
      outside.put(record.kind() + "/" + record.id(), record.doc());
    }
  }

  /**
   * Who counts as the wallet's owner: its owner quorum, or one with exactly its members and threshold
   * ({@code owner: {public_key}} on a policy mints a one-key quorum of its own for the same key, and
   * only that key's signatures change either). Quorums come from the sealed records, or from those this
   * request creates (a wallet created with {@code owner: {public_key}} brings its quorum along). A
   * quorum that is in neither counts as another owner (its records are pinned).
   */
  private record Owners(String walletOwner, VerifiedRecords records, List<SealedRecord> created) {
    boolean isWalletOwner(final String recordOwner) {
      if (walletOwner.equals(recordOwner)) {
        return true;
      }
      final Optional<QuorumRecord> a = quorum(walletOwner);
      final Optional<QuorumRecord> b = quorum(recordOwner);
      return a.isPresent() && b.isPresent() && members(a.get()).equals(members(b.get()));
    }

    private Optional<QuorumRecord> quorum(final String id) {
      return records.quorum(id).or(() -> created.stream()
          .filter(r -> r.kind().equals(QuorumRecord.KIND) && r.id().equals(id)).findFirst()
          .map(r -> QuorumRecord.fromDoc(r.doc())));
    }

    private static List<Object> members(final QuorumRecord quorum) {
      return List.of(new java.util.TreeSet<>(quorum.publicKeys()), new java.util.TreeSet<>(quorum.userIds()),
          new java.util.TreeSet<>(quorum.keyQuorumIds()), String.valueOf(quorum.threshold()));
    }
  }

  private static String sha256(final String text) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
