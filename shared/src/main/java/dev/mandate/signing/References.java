package dev.mandate.signing;

import dev.mandate.api.ApiException;
import dev.mandate.api.Json;
import dev.mandate.enclave.protocol.Executed;
import dev.mandate.enclave.protocol.SealedRecord;
import dev.mandate.store.Item;
import dev.mandate.store.Store;
import dev.mandate.store.Update;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A reverse index of who refers to a policy, condition set or aggregation — a wallet's
 * {@code policy_ids} and its signers' {@code override_policy_ids}, a policy rule's
 * {@code in_condition_set} and {@code aggregation.<id>} conditions, an aggregation's own conditions —
 * so that deleting a record still in use is refused (409 {@code resource_in_use}) with one range read,
 * never a scan of all wallets.
 *
 * <p>One item per (target, referrer): id {@code <target kind>.<target id>.<referrer kind>.<referrer id>},
 * written and deleted in the same transaction as the referrer. That transaction also rewrites each newly
 * referenced target unchanged (its version moves on), so a delete that checked the index before the
 * reference existed fails its own version check instead of committing. Only a convenience for callers:
 * the enclave refuses to evaluate a policy whose references are missing whatever this index says.
 */
public final class References {
  public static final String KIND = "reference";
  /**
   * A store transaction holds {@link dev.mandate.store.Store#MAX_TRANSACTION_SIZE} (50) updates
   * (DynamoDB's 100 writes, each update also writing its anchor); a referrer's new targets each take
   * two, leaving room for the referrer itself, its pointers and removed references.
   */
  public static final int MAX_TARGETS = 20;
  private static final Set<String> REFERRERS = Set.of(RecordRef.WALLET, RecordRef.POLICY, RecordRef.AGGREGATION);
  private static final Set<String> TARGETS = Set.of(RecordRef.POLICY, RecordRef.CONDITION_SET, RecordRef.AGGREGATION);

  private final Store store;

  public References(final Store store) {
    this.store = store;
  }

  /**
   * Refuses to go on while anything refers to the record.
   *
   * @throws ApiException 409 {@code resource_in_use} naming one referrer
   */
  void requireUnreferenced(final String appId, final String kind, final String id) {
    if (id == null || id.isEmpty() || id.length() > 64) {
      return; // no such record can exist; the delete answers 404 on its own
    }
    store.listByIdPrefix(appId, KIND, prefix(new RecordRef(kind, id)), Optional.empty(), 1).items().stream()
        .findFirst()
        .ifPresent(item -> {
          final var doc = Json.parseStored(item.doc());
          throw new ApiException(409, "resource_in_use", "The " + kind.replace('_', ' ') + " " + id
              + " is still referred to by " + doc.path("referrer_kind").asText().replace('_', ' ') + " "
              + doc.path("referrer_id").asText() + "; remove that reference first.");
        });
  }

  /**
   * The index writes an execution implies, for the same transaction. Called once the enclave has
   * authorized the change, so only a caller allowed to delete a record learns what still uses it.
   *
   * @throws ApiException 409 {@code resource_in_use} when the execution deletes a record still referred to
   */
  List<Update> writes(final String appId, final Executed executed, final Map<RecordRef, Item> loaded) {
    executed.deleted().stream().filter(r -> TARGETS.contains(r.kind()))
        .forEach(r -> requireUnreferenced(appId, r.kind(), r.id()));
    final List<Update> writes = new ArrayList<>();
    final Set<RecordRef> touched = new LinkedHashSet<>();
    executed.created().stream().filter(References::isReferrer)
        .forEach(r -> added(appId, r, Set.of(), targets(r.kind(), r.doc()), loaded, writes, touched));
    for (final SealedRecord record : executed.updated()) {
      if (isReferrer(record)) {
        final Set<RecordRef> before = Optional.ofNullable(loaded.get(new RecordRef(record.kind(), record.id())))
            .map(item -> targets(record.kind(), item.doc())).orElse(Set.of());
        final Set<RecordRef> after = targets(record.kind(), record.doc());
        added(appId, record, before, after, loaded, writes, touched);
        removed(appId, record, before, after, writes);
      }
    }
    for (final SealedRecord record : executed.deleted()) {
      if (isReferrer(record)) {
        final Set<RecordRef> before = Optional.ofNullable(loaded.get(new RecordRef(record.kind(), record.id())))
            .map(item -> targets(record.kind(), item.doc())).orElse(Set.of());
        removed(appId, record, before, Set.of(), writes);
      }
    }
    final Set<RecordRef> written = new LinkedHashSet<>();
    executed.updated().forEach(r -> written.add(new RecordRef(r.kind(), r.id())));
    executed.deleted().forEach(r -> written.add(new RecordRef(r.kind(), r.id())));
    touched.stream().filter(t -> !written.contains(t)).map(loaded::get)
        .forEach(item -> writes.add(Update.replace(item, item.version())));
    return writes;
  }

  private static void added(final String appId, final SealedRecord referrer, final Set<RecordRef> before,
      final Set<RecordRef> after, final Map<RecordRef, Item> loaded, final List<Update> writes,
      final Set<RecordRef> touched) {
    after.stream().filter(t -> !before.contains(t) && !loaded.containsKey(t)).findFirst().ifPresent(missing -> {
      throw ApiException.invalid("The " + referrer.kind().replace('_', ' ') + " refers to " + missing.kind().replace('_', ' ')
          + " " + missing.id() + ", which does not exist.");
    });
    final List<RecordRef> fresh = after.stream().filter(t -> !before.contains(t)).toList();
    if (fresh.size() > MAX_TARGETS) {
      throw new ApiException(400, "too_many_references", "A " + referrer.kind().replace('_', ' ')
          + " may newly refer to at most " + MAX_TARGETS + " policies, condition sets and aggregations in one request.");
    }
    for (final RecordRef target : fresh) {
      writes.add(Update.create(Item.of(appId, KIND, id(target, referrer), Json.object()
          .put("target_kind", target.kind()).put("target_id", target.id())
          .put("referrer_kind", referrer.kind()).put("referrer_id", referrer.id()).toString())));
      touched.add(target);
    }
  }

  private void removed(final String appId, final SealedRecord referrer, final Set<RecordRef> before,
      final Set<RecordRef> after, final List<Update> writes) {
    before.stream().filter(t -> !after.contains(t))
        .forEach(t -> store.get(appId, KIND, id(t, referrer))
            .ifPresent(item -> writes.add(Update.delete(appId, KIND, item.id(), item.version()))));
  }

  private static boolean isReferrer(final SealedRecord record) {
    return REFERRERS.contains(record.kind());
  }

  /** The policies, condition sets and aggregations a stored record of {@code kind} refers to. */
  static Set<RecordRef> targets(final String kind, final String doc) {
    final Set<RecordRef> targets = new LinkedHashSet<>();
    RecordLoader.references(kind, Json.parseStored(doc)).stream()
        .filter(r -> TARGETS.contains(r.kind()) && r.id() != null && !r.id().isEmpty() && r.id().length() <= 64)
        .forEach(targets::add);
    return targets;
  }

  private static String prefix(final RecordRef target) {
    return target.kind() + "." + target.id() + ".";
  }

  private static String id(final RecordRef target, final SealedRecord referrer) {
    return prefix(target) + referrer.kind() + "." + referrer.id();
  }
}
