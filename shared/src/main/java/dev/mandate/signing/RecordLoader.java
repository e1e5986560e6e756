package dev.mandate.signing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mandate.api.Json;
import dev.mandate.store.Item;
import dev.mandate.store.Store;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Loads the records a request needs and everything they point to: a wallet's owner and signer
 * quorums and policies, a quorum's child quorums and users, a policy's condition sets and
 * aggregations. The enclave checks each record's seal; the loader only has to be complete. Missing
 * records are simply absent: the enclave decides what that means, and it refuses a policy that names
 * a record it did not get (fail closed).
 *
 * <p>The closure is loaded whole or not at all: past {@value #DEFAULT_MAX_RECORDS} distinct
 * references the request is refused ({@link RecordLimitExceededException}, 400
 * {@code record_limit_exceeded}) rather than handed to the enclave in part. (A part would leave
 * out whatever sorts last — e.g. the aggregation behind a spending cap once a signer has grown its
 * own quorum.)
 */
public final class RecordLoader {
  /**
   * The most distinct records one request may reach. A wallet with 20 signers whose quorums list
   * their 50 users each, plus their policies, condition sets and aggregations, stays below it.
   */
  public static final int DEFAULT_MAX_RECORDS = 2_000;
  /** Live session keys are read with their user, this many per page (expired ones count as absent). */
  private static final int SESSION_KEY_PAGE = 100;
  private static final int MAX_ID_CHARS = 128;

  private final Store store;
  private final int maxRecords;

  public RecordLoader(final Store store) {
    this(store, DEFAULT_MAX_RECORDS);
  }

  RecordLoader(final Store store, final int maxRecords) {
    this.store = store;
    this.maxRecords = maxRecords;
  }

  /**
   * Every record reachable from {@code roots} that exists.
   *
   * @throws RecordLimitExceededException when more than the limit of distinct records are referenced
   */
  public Map<RecordRef, Item> load(final String appId, final List<RecordRef> roots) {
    final Map<RecordRef, Item> loaded = new LinkedHashMap<>();
    final Deque<RecordRef> pending = new ArrayDeque<>(roots);
    final Set<RecordRef> seen = new HashSet<>();
    while (!pending.isEmpty()) {
      final RecordRef ref = pending.poll();
      if (!wellFormed(ref) || !seen.add(ref)) {
        continue;
      }
      if (seen.size() > maxRecords) {
        throw new RecordLimitExceededException(maxRecords);
      }
      final Optional<Item> item = store.get(appId, ref.kind(), ref.id());
      item.ifPresent(found -> {
        loaded.put(ref, found);
        pending.addAll(references(ref.kind(), Json.parseStored(found.doc())));
        if (ref.kind().equals(RecordRef.USER)) {
          // A user counts in a quorum through their session keys: they all come with the user, within the budget.
          sessionKeys(appId, ref.id(), seen).forEach(key -> loaded.put(new RecordRef(key.kind(), key.id()), key));
        }
      });
    }
    return loaded;
  }

  /** An id no record can have is not looked up (ids are minted, at most {@value #MAX_ID_CHARS} characters). */
  private static boolean wellFormed(final RecordRef ref) {
    return ref.id() != null && !ref.id().isEmpty() && ref.id().length() <= MAX_ID_CHARS;
  }

  /** Every live session key of the user, page by page; each counts against the record limit. */
  private List<Item> sessionKeys(final String appId, final String userId, final Set<RecordRef> seen) {
    final List<Item> keys = new java.util.ArrayList<>();
    Optional<String> cursor = Optional.empty();
    do {
      final dev.mandate.store.Page page = store.listByIdPrefix(appId, RecordRef.SESSION_KEY, Pointers.userPrefix(userId),
          cursor, SESSION_KEY_PAGE);
      for (final Item key : page.items()) {
        seen.add(new RecordRef(key.kind(), key.id()));
        keys.add(key);
      }
      if (seen.size() > maxRecords) {
        throw new RecordLimitExceededException(maxRecords);
      }
      cursor = page.nextCursor();
    } while (cursor.isPresent());
    return keys;
  }

  /** What a stored record of {@code kind} points to. */
  static List<RecordRef> references(final String kind, final JsonNode doc) {
    final List<RecordRef> refs = new ArrayList<>();
    switch (kind) {
      case RecordRef.WALLET, RecordRef.POLICY, RecordRef.CONDITION_SET, RecordRef.AGGREGATION -> refs.addAll(fromBody(doc));
      case RecordRef.KEY_QUORUM -> {
        doc.path("key_quorum_ids").forEach(id -> refs.add(RecordRef.quorum(id.asText())));
        doc.path("user_ids").forEach(id -> refs.add(RecordRef.user(id.asText())));
      }
      default -> { }
    }
    return refs;
  }

  /**
   * Records a request body names: {@code owner_id}, signers and their override policies,
   * {@code policy_ids}, {@code key_quorum_ids}. Tolerant of wrong types: validation is the enclave's job.
   */
  public static List<RecordRef> fromBody(final JsonNode body) {
    final List<RecordRef> refs = new ArrayList<>();
    if (body.path("owner_id").isTextual()) {
      refs.add(RecordRef.quorum(body.path("owner_id").asText()));
    }
    body.path("additional_signers").forEach(signer -> {
      if (signer.path("signer_id").isTextual()) {
        refs.add(RecordRef.quorum(signer.path("signer_id").asText()));
      }
      signer.path("override_policy_ids").forEach(p -> refs.add(RecordRef.policy(p.asText())));
    });
    body.path("policy_ids").forEach(p -> refs.add(RecordRef.policy(p.asText())));
    body.path("key_quorum_ids").forEach(q -> refs.add(RecordRef.quorum(q.asText())));
    body.path("user_ids").forEach(u -> refs.add(RecordRef.user(u.asText())));
    if (body.path("owner").path("user_id").isTextual()) {
      refs.add(RecordRef.user(body.path("owner").path("user_id").asText()));
    }
    body.path("rules").forEach(rule -> rule.path("conditions").forEach(c -> conditionSet(c, refs)));
    body.path("conditions").forEach(c -> conditionSet(c, refs));
    return refs;
  }

  private static void conditionSet(final JsonNode condition, final List<RecordRef> refs) {
    if ("reference".equals(condition.path("field_source").asText())
        && condition.path("field").asText().startsWith("aggregation.")) {
      refs.add(new RecordRef(RecordRef.AGGREGATION, condition.path("field").asText().substring("aggregation.".length())));
    }
    if ("in_condition_set".equals(condition.path("operator").asText())) {
      final JsonNode value = condition.path("value");
      if (value.isTextual()) {
        refs.add(new RecordRef(RecordRef.CONDITION_SET, value.asText()));
      }
      value.forEach(v -> refs.add(new RecordRef(RecordRef.CONDITION_SET, v.asText())));
    }
  }
}
