package dev.mandate.signing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mandate.api.Json;
import dev.mandate.enclave.records.Docs;
import dev.mandate.enclave.records.Memo;
import dev.mandate.enclave.records.SessionKeyRecord;
import dev.mandate.store.IntegrityViolationException;
import dev.mandate.store.Item;
import dev.mandate.store.Store;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

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
  private static final int MAX_ID_CHARS = 128;

  /** Roots (per app) whose last closure is remembered as the next request's prediction. */
  private static final int MAX_HINTS = 1_024;
  /** Keys remembered per root (two batches' worth): a larger closure is predicted in part, then read level by level. */
  private static final int MAX_HINTED_KEYS = 98;

  private final Store store;
  private final int maxRecords;
  /**
   * Per app and roots, the keys the last load of them looked up beyond the roots: read in the same
   * round trip as the roots next time. A hint only chooses which keys to fetch: every record handed
   * on was read (and verified) by this request and reached from its freshly read roots.
   */
  private final Map<HintKey, Set<RecordRef>> hints = java.util.Collections.synchronizedMap(
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(final Map.Entry<HintKey, Set<RecordRef>> eldest) {
          return size() > MAX_HINTS;
        }
      });

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
    return load(appId, roots, Set::of);
  }

  /** As below, reading everything (nothing known beforehand). */
  public Map<RecordRef, Item> load(final String appId, final List<RecordRef> roots,
      final Supplier<Set<String>> signerFingerprints) {
    return load(appId, roots, signerFingerprints, Records.NONE).items();
  }

  /**
   * The roots and everything they point to. A user counts in a quorum through their session keys, so
   * with each user come the session keys filed under {@code signerFingerprints} (the keys that could
   * have made the request's signatures; asked for only if a user is loaded).
   *
   * <p>One batch read per level of references — and usually one in all: the first read also fetches
   * what the same roots reached last time. Keys {@code known} already looked up (present or absent,
   * e.g. by an earlier load for the same request) are not read again.
   */
  public Records load(final String appId, final List<RecordRef> roots, final Supplier<Set<String>> signerFingerprints,
      final Records known) {
    if (known.closed() && known.lookedUp().keySet().containsAll(roots)) {
      // A load for this request already followed every reference from these roots.
      return known;
    }
    final Map<RecordRef, Optional<Item>> read = new java.util.HashMap<>(known.lookedUp());
    final Supplier<Set<String>> fingerprints = memoized(signerFingerprints);
    final Map<RecordRef, Item> loaded = new LinkedHashMap<>();
    final Set<RecordRef> seen = new java.util.LinkedHashSet<>();
    final HintKey hintKey = new HintKey(appId, roots);
    // A caller that already loaded for this request knows the closure: no prediction to add.
    final Set<RecordRef> hinted = known.lookedUp().isEmpty()
        ? Optional.ofNullable(hints.get(hintKey)).orElse(Set.of()) : Set.of();
    List<RecordRef> level = roots.stream().filter(RecordLoader::wellFormed).distinct().toList();
    try {
      fetch(appId, java.util.stream.Stream.concat(level.stream(), hinted.stream()).toList(), read);
    } catch (IntegrityViolationException e) {
      if (hinted.isEmpty()) {
        throw e;
      }
      // A record the roots reached last time failed its check: refuse only if it is still reached.
      hints.remove(hintKey);
      return load(appId, roots, signerFingerprints, known);
    }
    int counted = 0;
    while (!level.isEmpty()) {
      final List<RecordRef> next = new ArrayList<>();
      for (final RecordRef ref : level) {
        if (!seen.add(ref)) {
          continue;
        }
        final Optional<Item> item = read.getOrDefault(ref, Optional.empty());
        final boolean sessionKey = ref.kind().equals(RecordRef.SESSION_KEY);
        // A session key counts only if it exists (most candidates do not); every other reference counts.
        if ((!sessionKey || item.isPresent()) && ++counted > maxRecords) {
          throw new RecordLimitExceededException(maxRecords);
        }
        item.ifPresent(found -> {
          loaded.put(ref, found);
          next.addAll(referencesOf(ref.kind(), found.doc()));
          if (ref.kind().equals(RecordRef.USER)) {
            fingerprints.get().forEach(f -> next.add(new RecordRef(RecordRef.SESSION_KEY, SessionKeyRecord.idFor(ref.id(), f))));
          }
        });
      }
      level = next.stream().filter(RecordLoader::wellFormed).filter(ref -> !seen.contains(ref)).distinct().toList();
      fetch(appId, level, read);
    }
    final Set<RecordRef> beyondRoots = new java.util.LinkedHashSet<>(seen);
    roots.forEach(beyondRoots::remove);
    if (!beyondRoots.equals(hinted) || beyondRoots.size() > MAX_HINTED_KEYS) {
      hints.put(hintKey, beyondRoots.stream().limit(MAX_HINTED_KEYS).collect(java.util.stream.Collectors.toUnmodifiableSet()));
    }
    final Map<RecordRef, Optional<Item>> lookedUp = new java.util.HashMap<>();
    seen.forEach(ref -> lookedUp.put(ref, Optional.ofNullable(loaded.get(ref))));
    return new Records(java.util.Collections.unmodifiableMap(loaded), Map.copyOf(lookedUp), true);
  }

  /** The roots of a load, per app: what a hint is remembered under. */
  private record HintKey(String appId, List<RecordRef> roots) {}

  private static Supplier<Set<String>> memoized(final Supplier<Set<String>> supplier) {
    final java.util.concurrent.atomic.AtomicReference<Set<String>> value = new java.util.concurrent.atomic.AtomicReference<>();
    return () -> value.updateAndGet(v -> v == null ? supplier.get() : v);
  }

  /** Reads the keys not read yet, in one batch (per 50 keys), recording absent ones as absent. */
  private void fetch(final String appId, final List<RecordRef> refs, final Map<RecordRef, Optional<Item>> read) {
    final List<Store.Key> missing = refs.stream().filter(ref -> !read.containsKey(ref)).distinct()
        .map(ref -> new Store.Key(ref.kind(), ref.id())).toList();
    if (missing.isEmpty()) {
      return;
    }
    final Map<Store.Key, Item> found = store.getMany(appId, missing);
    missing.forEach(key -> read.put(new RecordRef(key.kind(), key.id()), Optional.ofNullable(found.get(key))));
  }

  /**
   * What one load read: the reachable records that exist, and every key it looked up (present or
   * absent), so a later load for the same request need not read any of them again. {@code closed}:
   * every key looked up had its references followed (a load's result, for one request's signatures),
   * so the closure of any of them is already here.
   */
  public record Records(Map<RecordRef, Item> items, Map<RecordRef, Optional<Item>> lookedUp, boolean closed) {
    public static final Records NONE = new Records(Map.of(), Map.of(), false);

    /** The same reads without {@code ref}'s record (e.g. an unsealed pointer the enclave must not get); not read again. */
    public Records without(final RecordRef ref) {
      final Map<RecordRef, Item> rest = new LinkedHashMap<>(items);
      rest.remove(ref);
      return new Records(java.util.Collections.unmodifiableMap(rest), lookedUp, closed);
    }

    /** Records the host read itself, handed over as they are (their references not followed yet). */
    public static Records of(final Map<RecordRef, Item> items) {
      final Map<RecordRef, Optional<Item>> lookedUp = new java.util.HashMap<>();
      items.forEach((ref, item) -> lookedUp.put(ref, Optional.of(item)));
      return new Records(Map.copyOf(items), Map.copyOf(lookedUp), false);
    }
  }

  /** An id no record can have is not looked up (ids are minted, at most {@value #MAX_ID_CHARS} characters). */
  private static boolean wellFormed(final RecordRef ref) {
    return ref.id() != null && !ref.id().isEmpty() && ref.id().length() <= MAX_ID_CHARS;
  }

  /** What each stored document points to, by its text (parsed once while it stays in the memo). */
  private static final Map<String, Memo<List<RecordRef>>> REFERENCES = new java.util.concurrent.ConcurrentHashMap<>();

  static List<RecordRef> referencesOf(final String kind, final String doc) {
    return REFERENCES.computeIfAbsent(kind, k -> new Memo<>(text -> List.copyOf(references(k, Json.parseStored(text))),
        Docs.MEMO_ENTRIES, Docs.MEMO_MAX_CHARS, Docs.MEMO_TOTAL_CHARS)).apply(doc);
  }

  /** What a stored record of {@code kind} points to. */
  static List<RecordRef> references(final String kind, final JsonNode doc) {
    final List<RecordRef> refs = new ArrayList<>();
    switch (kind) {
      case RecordRef.WALLET, RecordRef.POLICY, RecordRef.CONDITION_SET, RecordRef.AGGREGATION -> refs.addAll(fromBody(doc));
      // An ext_wal_ id's claim, as a root: the wallet it points to (the claim itself is never sealed).
      case WalletExternalIds.KIND -> {
        if (doc.path("wallet_id").isTextual()) {
          refs.add(RecordRef.wallet(doc.path("wallet_id").asText()));
        }
      }
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
