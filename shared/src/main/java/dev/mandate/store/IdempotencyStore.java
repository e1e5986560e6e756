package dev.mandate.store;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Privy's idempotency keys on top of a {@link Store}: the same key with the same request within
 * 24 hours gets the stored response; the same key with another request is a mismatch (400).
 *
 * <p>Each key is an item of kind {@value #KIND} holding the request hash, the state and, once
 * complete, the response. It expires 24 hours after the first claim. A claim left in progress
 * longer than the in-progress timeout (a crashed invocation) may be taken over by a retry; the
 * default of 15 minutes is Lambda's maximum run time, so no live invocation still holds it.
 */
public final class IdempotencyStore {
  public static final String KIND = "idempotency";
  /** As long as the longest {@code privy-request-expiry} accepted (72 h): a signed request cannot outlive its key. */
  public static final Duration DEFAULT_TTL = Duration.ofHours(72);
  public static final Duration DEFAULT_IN_PROGRESS_TIMEOUT = Duration.ofMinutes(15);
  private static final String REQUEST_HASH = "request_hash";
  private static final String STATE = "state";
  private static final String STATUS = "status";
  private static final String CLAIMED_AT = "claimed_at";
  private static final String SIGNERS = "signers";
  private static final String IN_PROGRESS = "in_progress";
  private static final String COMPLETED = "completed";
  private static final int MAX_KEY_CHARS = 256;
  private static final int ATTEMPTS = 3;

  /** What {@link #claim} found. */
  public sealed interface Claim permits Claimed, Completed, InProgress, Mismatch {}

  /** The caller now owns the key: run the request, then {@link #complete} or {@link #release}. */
  public record Claimed() implements Claim {}

  /**
   * The same request already ran: answer with this response — to a caller that proves what the first
   * one proved. {@code signers} is what {@link #claim} was given for the first request.
   */
  public record Completed(int status, String body, String signers) implements Claim {
    public Completed(final int status, final String body) {
      this(status, body, "");
    }
  }

  /** The same request is running elsewhere right now (409). */
  public record InProgress() implements Claim {}

  /** The key was used for a different request within 24 hours (400). */
  public record Mismatch() implements Claim {}

  private final Store store;
  private final Duration ttl;
  private final Duration inProgressTimeout;

  private IdempotencyStore(final Store store, final Duration ttl, final Duration inProgressTimeout) {
    this.store = store;
    this.ttl = ttl;
    this.inProgressTimeout = inProgressTimeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Claims {@code key} for a request whose method, path and body hash to {@code requestHash}.
   * Expiry is judged against {@code now}, not the store's clock, so an expired record that
   * DynamoDB has not deleted yet is treated as absent.
   */
  public Claim claim(final String appId, final String key, final String requestHash, final Instant now) {
    return claim(appId, key, requestHash, "", now);
  }

  /**
   * As above, remembering {@code signers} (what the request's authorization signatures prove, opaque
   * here) with the key; {@link Completed} hands it back.
   */
  public Claim claim(final String appId, final String key, final String requestHash, final String signers,
      final Instant now) {
    checkKey(key);
    Objects.requireNonNull(requestHash, "requestHash");
    final Item fresh = signers.isEmpty() ? inProgress(appId, key, requestHash, now)
        : inProgress(appId, key, requestHash, now).withAttr(SIGNERS, signers);
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      try {
        store.create(fresh);
        return new Claimed();
      } catch (ItemExistsException e) {
        // Someone holds the key: look at what they left.
      }
      final Optional<Item> existing = store.get(appId, KIND, key);
      if (existing.isEmpty()) {
        continue;
      }
      final Optional<Claim> decided = decide(existing.get(), requestHash, now);
      if (decided.isPresent()) {
        return decided.get();
      }
      if (takeOver(fresh, existing.get())) {
        return new Claimed();
      }
    }
    // Lost every race: another request is actively claiming this key.
    return new InProgress();
  }

  /** The answer for an existing record, or empty when it may be taken over (expired or abandoned). */
  private Optional<Claim> decide(final Item existing, final String requestHash, final Instant now) {
    if (existing.isExpiredAt(now.getEpochSecond())) {
      return Optional.empty();
    }
    if (!requestHash.equals(existing.attrs().get(REQUEST_HASH))) {
      return Optional.of(new Mismatch());
    }
    if (COMPLETED.equals(existing.attrs().get(STATE))) {
      return Optional.of(new Completed(Integer.parseInt(existing.attrs().get(STATUS)), existing.doc(),
          existing.attrs().getOrDefault(SIGNERS, "")));
    }
    final long claimedAt = Long.parseLong(existing.attrs().getOrDefault(CLAIMED_AT, "0"));
    if (claimedAt + inProgressTimeout.toSeconds() <= now.getEpochSecond()) {
      return Optional.empty();
    }
    return Optional.of(new InProgress());
  }

  private boolean takeOver(final Item fresh, final Item existing) {
    try {
      store.update(fresh, existing.version());
      return true;
    } catch (ConcurrentUpdateException | ItemNotFoundException e) {
      return false;
    }
  }

  /**
   * Stores the response for a claimed key. If the key was already completed (a slower duplicate
   * after a takeover), the first response stays.
   *
   * @throws ItemNotFoundException if the claim is gone (released or expired)
   * @throws ConcurrentUpdateException if the record changed while completing
   */
  public void complete(final String appId, final String key, final int status, final String body) {
    checkKey(key);
    if (status < 100 || status > 599) {
      throw new IllegalArgumentException("status must be an HTTP status code");
    }
    Objects.requireNonNull(body, "body");
    final Item current = store.get(appId, KIND, key).orElseThrow(() -> new ItemNotFoundException(appId, KIND, key));
    if (COMPLETED.equals(current.attrs().get(STATE))) {
      return;
    }
    store.update(current.withDoc(body)
        .withAttr(STATE, COMPLETED)
        .withAttr(STATUS, Integer.toString(status)), current.version());
  }

  /** Gives up a claim after a failure that the client may retry; does nothing once completed or gone. */
  public void release(final String appId, final String key) {
    checkKey(key);
    final Optional<Item> current = store.get(appId, KIND, key);
    if (current.isEmpty() || !IN_PROGRESS.equals(current.get().attrs().get(STATE))) {
      return;
    }
    try {
      store.delete(appId, KIND, key, current.get().version());
    } catch (ConcurrentUpdateException | ItemNotFoundException e) {
      // Someone else moved the record on (took it over or completed it); theirs stands.
    }
  }

  private Item inProgress(final String appId, final String key, final String requestHash, final Instant now) {
    return new Item(appId, KIND, key, "", 0, Map.of(
        REQUEST_HASH, requestHash,
        STATE, IN_PROGRESS,
        CLAIMED_AT, Long.toString(now.getEpochSecond())))
        .withExpiresAt(now.plus(ttl));
  }

  private static void checkKey(final String key) {
    if (key == null || key.isEmpty() || key.length() > MAX_KEY_CHARS) {
      throw new IllegalArgumentException("idempotency key must be 1 to " + MAX_KEY_CHARS + " characters");
    }
  }

  /** Builds an {@link IdempotencyStore}. */
  public static final class Builder {
    private Store store;
    private Duration ttl = DEFAULT_TTL;
    private Duration inProgressTimeout = DEFAULT_IN_PROGRESS_TIMEOUT;

    private Builder() {}

    /** Required: where the records live. */
    public Builder store(final Store store) {
      this.store = Objects.requireNonNull(store, "store");
      return this;
    }

    /** How long a key is remembered; Privy's is 24 hours. */
    public Builder ttl(final Duration ttl) {
      this.ttl = Objects.requireNonNull(ttl, "ttl");
      return this;
    }

    /** How long a claim may stay in progress before a retry can take it over. */
    public Builder inProgressTimeout(final Duration timeout) {
      this.inProgressTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    public IdempotencyStore build() {
      if (store == null) {
        throw new IllegalStateException("an IdempotencyStore needs a store");
      }
      return new IdempotencyStore(store, ttl, inProgressTimeout);
    }
  }
}
