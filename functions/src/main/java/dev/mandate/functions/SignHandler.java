package dev.mandate.functions;

import dev.mandate.Mandate;

/**
 * {@code POST /v1/wallets/{wallet_id}/rpc} and {@code /raw_sign}: the only function whose role may
 * have KMS decrypt wallet keys.
 */
public final class SignHandler extends HttpApiHandler {
  public SignHandler() {
    // Init primes the request pipeline and the signing crypto (HttpApiHandler#prime: public
    // constants only, nothing secret or random; see Priming).
    super(Mandate.instance().signApi());
  }
}
