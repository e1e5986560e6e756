package dev.mandate.functions;

import dev.mandate.Mandate;

/**
 * {@code POST /v1/wallets/{wallet_id}/rpc} and {@code /raw_sign}: the only function whose role may
 * have KMS decrypt wallet keys.
 */
public final class SignHandler extends HttpApiHandler {
  public SignHandler() {
    super(Mandate.instance().signApi());
    // Lambda init, not the first signature, pays for loading the signing crypto's native libraries
    // (public constants only: nothing secret or random; see Priming). With SnapStart this lands in
    // the snapshot, and beforeCheckpoint primes the request pipeline too.
    dev.mandate.enclave.Priming.prime();
  }
}
