package dev.mandate.enclave.execution;

import dev.mandate.enclave.protocol.Executed;
import dev.mandate.enclave.protocol.SealedRecord;
import dev.mandate.enclave.records.RecordSealer;
import dev.mandate.enclave.records.WalletRecord;
import java.util.List;
import java.util.Map;

/** Ethereum behind {@link WalletChain}: delegates to the existing secp256k1 paths of {@link WalletActions}. */
final class EthereumChain implements WalletChain {
  static final String CHAIN_TYPE = "ethereum";

  private final WalletActions wallets;

  EthereumChain(final WalletActions wallets) {
    this.wallets = wallets;
  }

  @Override
  public String chainType() {
    return CHAIN_TYPE;
  }

  @Override
  public SealedRecord generate(final Request request, final RecordSealer sealer, final NewWallet wallet) {
    return wallets.generate(request, sealer, wallet.ownerId(), wallet.policyIds(), wallet.signers(), wallet.displayName(),
        wallet.externalId());
  }

  @Override
  public Executed sign(final Request request, final VerifiedRecords records, final WalletRecord wallet,
      final List<Party> parties, final String method, final boolean raw, final boolean dryRun,
      final Map<String, String> hostInputs) {
    return wallets.signEthereum(request, records, wallet, parties, method, raw, dryRun, hostInputs);
  }
}
