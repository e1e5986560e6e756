package dev.mandate.functions;

import dev.mandate.Mandate;

/** {@code POST /v1/wallets}, {@code GET /v1/wallets}, {@code GET /v1/wallets/{wallet_id}}. */
public final class WalletsHandler extends HttpApiHandler {
  public WalletsHandler() {
    super(Mandate.instance().walletsApi());
  }
}
