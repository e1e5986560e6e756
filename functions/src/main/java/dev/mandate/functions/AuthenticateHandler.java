package dev.mandate.functions;

import dev.mandate.Mandate;

/**
 * Authenticated signers: {@code POST /v1/wallets/authenticate} (and the legacy
 * {@code /v1/user_signers/authenticate}), {@code POST /v1/signer/authenticate}, and
 * {@code GET|PUT /v1/jwt_settings}.
 */
public final class AuthenticateHandler extends HttpApiHandler {
  public AuthenticateHandler() {
    super(Mandate.instance().authenticateApi());
  }
}
