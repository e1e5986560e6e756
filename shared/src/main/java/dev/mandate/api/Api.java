package dev.mandate.api;

import dev.mandate.app.AppService;
import dev.mandate.enclave.InvalidRequestException;
import dev.mandate.store.IntegrityViolationException;
import dev.mandate.store.InvalidCursorException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The request pipeline every handler shares: match the route, authenticate the app, run the
 * endpoint, and turn every failure into Privy's {@code {"error","code"}} shape. Nothing but an
 * {@link ApiException}'s own message ever reaches the caller.
 */
public final class Api {
  private final AppService apps;
  private final List<Route> routes;

  public Api(final AppService apps, final List<Route> routes) {
    this.apps = apps;
    this.routes = List.copyOf(routes);
  }

  public ApiResponse handle(final ApiRequest request) {
    try {
      final Matched matched = match(request);
      final String appId = matched.route().access() == Route.Access.APP_SECRET_OR_USER_JWT && bearer(request)
          ? apps.requireExisting(request)
          : apps.authenticate(request);
      return matched.route().endpoint().handle(new Route.Call(appId, request, matched.params()));
    } catch (ApiException e) {
      return ApiResponse.error(e);
    } catch (InvalidRequestException e) {
      return ApiResponse.error(new ApiException(400, e.code(), e.getMessage()));
    } catch (InvalidCursorException e) {
      return ApiResponse.error(ApiException.invalid("cursor is not a cursor this API returned."));
    } catch (IntegrityViolationException e) {
      return integrityFailure(e);
    } catch (RuntimeException e) {
      // Only the exception type is logged: messages from lower layers are not vetted for secrets.
      Log.error("unhandled", "exception", e.getClass().getName(), "path", Route.stripApiPrefix(request.path()));
      return ApiResponse.error(new ApiException(500, "internal_error", "Internal server error."));
    }
  }

  /**
   * Runs a request for {@code appId} without checking the app secret: for Mandate's own in-process
   * callers (the recurring-action runner), never reachable over HTTP. Authorization signatures,
   * policies and idempotency apply exactly as for any caller.
   */
  public ApiResponse handleAs(final String appId, final ApiRequest request) {
    try {
      final Matched matched = match(request);
      return matched.route().endpoint().handle(new Route.Call(appId, request, matched.params()));
    } catch (ApiException e) {
      return ApiResponse.error(e);
    } catch (InvalidRequestException e) {
      return ApiResponse.error(new ApiException(400, e.code(), e.getMessage()));
    } catch (IntegrityViolationException e) {
      return integrityFailure(e);
    } catch (RuntimeException e) {
      Log.error("unhandled", "exception", e.getClass().getName(), "path", Route.stripApiPrefix(request.path()));
      return ApiResponse.error(new ApiException(500, "internal_error", "Internal server error."));
    }
  }

  /**
   * A stored item failed its anchor check (edited, restored, deleted or forged in the table): the
   * caller gets the same generic answer as for an enclave integrity refusal, operators the same alarm.
   */
  private static ApiResponse integrityFailure(final IntegrityViolationException e) {
    Log.error("enclave_integrity_refusal", "code", "integrity_check_failed", "source", "store", "kind", e.kind());
    return ApiResponse.error(new ApiException(500, "integrity_check_failed",
        "A stored record failed its integrity check; the request was refused."));
  }

  /** Longer than any id Mandate issues or stores: refused before any lookup (a store would refuse the key). */
  static final int MAX_PATH_ID_CHARS = 128;

  private static void checkPathParam(final String name, final String value) {
    if (value.length() > MAX_PATH_ID_CHARS) {
      throw ApiException.invalid(name + " in the path is longer than " + MAX_PATH_ID_CHARS + " characters.");
    }
  }

  private static boolean bearer(final ApiRequest request) {
    return request.header("authorization").map(v -> v.regionMatches(true, 0, "Bearer ", 0, 7)).orElse(false);
  }

  private record Matched(Route route, Map<String, String> params) {}

  private Matched match(final ApiRequest request) {
    boolean pathKnown = false;
    for (final Route route : routes) {
      final Optional<Map<String, String>> params = route.match(request.path());
      if (params.isPresent()) {
        pathKnown = true;
        if (route.method().equalsIgnoreCase(request.method())) {
          params.get().forEach(Api::checkPathParam);
          return new Matched(route, params.get());
        }
      }
    }
    if (pathKnown) {
      throw new ApiException(405, "method_not_allowed", "Method not allowed on this path.");
    }
    throw ApiException.notFound("Not found.");
  }
}
