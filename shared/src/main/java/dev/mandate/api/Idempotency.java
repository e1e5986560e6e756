package dev.mandate.api;

import dev.mandate.store.IdempotencyStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Privy's {@code privy-idempotency-key}: the same key and body within 24 hours returns the stored
 * response without running again; the same key with another body is a 400. Retries of a signed
 * request (the SDKs resend identical headers) are therefore safe.
 */
public final class Idempotency {
  public static final String HEADER = "privy-idempotency-key";
  private static final int MAX_KEY_LENGTH = 256;

  private final IdempotencyStore store;
  private final Clock clock;

  public Idempotency(final IdempotencyStore store, final Clock clock) {
    this.store = store;
    this.clock = clock;
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
    return switch (store.claim(call.appId(), key.get(), hash, clock.instant())) {
      case IdempotencyStore.Claimed claimed -> runClaimed(call.appId(), key.get(), action);
      case IdempotencyStore.Completed done -> new ApiResponse(done.status(), done.body());
      case IdempotencyStore.InProgress busy -> throw ApiException.conflict(
          "A request with this idempotency key is still being processed.");
      case IdempotencyStore.Mismatch mismatch -> throw ApiException.invalid(
          "Idempotency key was reused for a request with a new body. Please create a new idempotency key for the request.");
    };
  }

  private ApiResponse runClaimed(final String appId, final String key, final Supplier<ApiResponse> action) {
    final ApiResponse response;
    try {
      response = action.get();
    } catch (ApiException e) {
      if (e.status() >= 500) {
        store.release(appId, key);
        throw e;
      }
      final ApiResponse error = ApiResponse.error(e);
      store.complete(appId, key, error.status(), error.body());
      return error;
    } catch (RuntimeException e) {
      store.release(appId, key);
      throw e;
    }
    store.complete(appId, key, response.status(), response.body());
    return response;
  }

  /** Method, path (without the /api prefix) and body: a retry must match all three. */
  private static String requestHash(final Route.Call call) {
    final String normalizedPath = call.request().path().startsWith("/api/") ? call.request().path().substring(4) : call.request().path();
    final String material = call.request().method() + " " + normalizedPath + "\n"
        + Json.bodyObject(call.request().body()).toString();
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(material.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
