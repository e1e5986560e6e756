package dev.mandate.functions;

import dev.mandate.Mandate;

/** {@code POST /v1/users}, {@code GET /v1/users/{user_id}} (also the legacy {@code /api/v1/users/{did}}). */
public final class UsersHandler extends HttpApiHandler {
  public UsersHandler() {
    super(Mandate.instance().usersApi());
  }
}
