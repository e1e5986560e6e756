package dev.mandate.enclave.execution;

import dev.mandate.enclave.AuthorizationException;
import dev.mandate.enclave.jwt.JwtSettings;
import dev.mandate.enclave.protocol.Execute;
import java.net.URI;
import java.util.Optional;

/**
 * The key set the host fetched for a login and the URL it says it fetched it from. The enclave uses
 * the keys only when that URL is the sealed settings' {@code jwks_url}: keys fetched from any other
 * URL (say, one a table writer swapped in while the host read the settings, then swapped back) are
 * refused, so the keys a JWT is verified with provably come from the sealed URL.
 */
record FetchedJwks(Optional<String> url, Optional<String> json) {

  static FetchedJwks of(final Execute execute) {
    return new FetchedJwks(execute.hostInput(Execute.JWKS_URL), execute.hostInput(Execute.JWKS));
  }

  /**
   * The key set to verify with under {@code settings}: none for PEM settings (their own keys count),
   * the fetched set for a JWKS URL if it was fetched from exactly that URL.
   *
   * @throws AuthorizationException {@code invalid_user_jwt} if the keys came from another URL
   */
  Optional<String> keysFor(final JwtSettings settings) {
    if (settings.jwksUrl().isEmpty()) {
      return Optional.empty();
    }
    final URI sealed = settings.jwksUrl().get();
    if (json.isPresent() && !url.filter(sealed.toString()::equals).isPresent()) {
      throw new AuthorizationException("invalid_user_jwt",
          "Invalid user JWT: the key set was not fetched from the app's JWT settings' jwks_url; try again.");
    }
    return json;
  }
}
