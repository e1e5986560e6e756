package dev.mandate.functions;

import dev.mandate.Mandate;

/** {@code PATCH /v1/wallets/{wallet_id}}: owner, signers, policies, display name — owner-signed when owned. */
public final class UpdateWalletHandler extends HttpApiHandler {
  public UpdateWalletHandler() {
    super(Mandate.instance().updateWalletApi());
  }
}
