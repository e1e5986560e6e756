package dev.mandate.api;

import dev.mandate.store.IdempotencyStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Privy's {@code privy-idempotency-key}: the same key and request returns the stored response without
 * running again; the same key with another body or credentials is a 400, and so is a request without
 * the authorization signers of the first (it would otherwise read an owner-signed answer unsigned).
 * Retries of a signed request are therefore safe. Only requests that were carried out are remembered:
 * a refused one (4xx) leaves the key free, so a relay cannot pin a refusal on the genuine request.
 */
public final class Idempotency {
  public static final String HEADER = "privy-idempotency-key";
  private static final int MAX_KEY_LENGTH = 256;

  private final IdempotencyStore store;
  private final Clock clock;
  private final Function<ApiRequest, List<Set<String>>> signers;

  public Idempotency(final IdempotencyStore store, final Clock clock) {
    this(store, clock, request -> List.of());
  }

  /**
   * @param signers for each authorization signature of a request, the fingerprints of the keys that
   *     could have made it over the request's signed payload
   */
  public Idempotency(final IdempotencyStore store, final Clock clock,
      final Function<ApiRequest, List<Set<String>>> signers) {
    this.store = store;
    this.clock = clock;
    this.signers = signers;
  }

  /** Runs {@code action} once per idempotency key; without the header, simply runs it. */
  public ApiResponse run(final Route.Call call, final Supplier<ApiResponse> action) {
    final Optional<String> key = call.request().header(HEADER);
    if (key.isEmpty()) {
      return action.get();
    }
    if (key.get().isEmpty() || key.get().length() > MAX_KEY_LENGTH) {
      throw ApiException.invalid("privy-idempotency-key must be 1 to 256 characters.");
    }
    final String hash = requestHash(call);
    final List<Set<String>> proof = signers.apply(call.request());
    return switch (store.claim(call.appId(), key.get(), hash, encode(proof), clock.instant())) {
      case IdempotencyStore.Claimed claimed -> runClaimed(call.appId(), key.get(), action);
      case IdempotencyStore.Completed done -> answer(done, proof);
      case IdempotencyStore.InProgress busy -> throw ApiException.conflict(
          "A request with this idempotency key is still being processed.");
      case IdempotencyStore.Mismatch mismatch -> throw ApiException.invalid(
          "Idempotency key was reused for a request with a new body. Please create a new idempotency key for the request.");
    };
  }

  /**
   * The stored answer, for a caller who proves what the first caller proved: for each signature of the
   * first request, a signature over this request's payload by one of the keys that could have made it.
   * A re-signed retry (new signature bytes, new expiry) qualifies; the same body without the owner's
   * signature, or with someone else's, does not.
   */
  private static ApiResponse answer(final IdempotencyStore.Completed done, final List<Set<String>> proof) {
    final Set<String> offered = new HashSet<>();
    proof.forEach(offered::addAll);
    for (final Set<String> needed : decode(done.signers())) {
      if (needed.stream().noneMatch(offered::contains)) {
        throw ApiException.invalid("Idempotency key was reused for a request without the authorization signatures "
            + "of the first; sign the request as the first one was signed, or use a new idempotency key.");
      }
    }
    return new ApiResponse(done.status(), done.body());
  }

  private static String encode(final List<Set<String>> proof) {
    return proof.stream().map(keys -> keys.stream().sorted().collect(Collectors.joining(","))).collect(Collectors.joining(";"));
  }

  private static List<Set<String>> decode(final String stored) {
    if (stored.isEmpty()) {
      return List.of();
    }
    return Arrays.stream(stored.split(";", -1)).map(keys -> keys.isEmpty() ? Set.<String>of()
        : Set.of(keys.split(","))).toList();
  }

  private ApiResponse runClaimed(final String appId, final String key, final Supplier<ApiResponse> action) {
    final ApiResponse response;
    try {
      response = action.get();
    } catch (ApiException e) {
      // A refused request changed nothing: it is not remembered, so a relay cannot pin a refusal (say,
      // for a forged signature) on the key the genuine request will use.
      store.release(appId, key);
      throw e;
    } catch (RuntimeException e) {
      store.release(appId, key);
      throw e;
    }
    store.complete(appId, key, response.status(), response.body());
    return response;
  }

  /**
   * Method, path (without the /api prefix), body, and the credentials: a retry must match all four.
   * Authorization signatures are checked apart ({@link #answer}): a re-signed retry differs in its
   * signature bytes and expiry, not in who signed.
   */
  private static String requestHash(final Route.Call call) {
    final String normalizedPath = call.request().path().startsWith("/api/") ? call.request().path().substring(4) : call.request().path();
    final String material = call.request().method() + " " + normalizedPath + "\n"
        + Json.bodyObject(call.request().body()).toString() + "\n"
        + sha256(call.request().header("authorization").orElse(""));
    return sha256(material);
  }

  private static String sha256(final String material) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
