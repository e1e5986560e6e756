package dev.mandate.enclave.execution;

import dev.mandate.enclave.ethereum.SigningRequest;
import dev.mandate.enclave.records.WalletRecord;
import java.util.List;

/**
 * Decides which policies apply to a signing request, given who authorized it, and evaluates them.
 * (The rule engine arrives with the policies endpoints; until a wallet or signer names a policy,
 * nothing applies.)
 */
final class PolicyGate {
  private PolicyGate() {}

  static void check(final Request request, final VerifiedRecords records, final WalletRecord wallet,
      final List<Party> parties, final String method, final SigningRequest signing) {
    // Filled in with the policy engine.
  }
}
