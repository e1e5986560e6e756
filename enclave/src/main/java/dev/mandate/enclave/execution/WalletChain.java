package dev.mandate.enclave.execution;

import dev.mandate.enclave.protocol.Executed;
import dev.mandate.enclave.protocol.SealedRecord;
import dev.mandate.enclave.records.RecordSealer;
import dev.mandate.enclave.records.WalletRecord;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One chain's wallets, behind the chain-agnostic wallet actions: key generation and wrapping, the
 * address format, request parsing, policy evaluation and signing. Owners, signers, quorums, policies
 * attachment, users and sealing are shared. A new chain is one implementation registered in
 * {@link WalletActions}; Ethereum is {@link EthereumChain}, Solana {@link SolanaActions}.
 */
interface WalletChain {
  /** The wallet's {@code chain_type}, e.g. {@code "ethereum"}. */
  String chainType();

  /** A new wallet of this chain with {@code wallet}'s settings: a key generated and wrapped here, the record sealed. */
  SealedRecord generate(Request request, RecordSealer sealer, NewWallet wallet);

  /**
   * Parses, decides (policies, for {@code parties}) and signs an rpc or {@code raw_sign} request.
   *
   * @param method the rpc method, or {@code raw_sign}
   */
  Executed sign(Request request, VerifiedRecords records, WalletRecord wallet, List<Party> parties, String method,
      boolean raw, boolean dryRun, Map<String, String> hostInputs);

  /** The chain-independent settings of a wallet being created. */
  record NewWallet(Optional<String> ownerId, List<String> policyIds, List<WalletRecord.Signer> signers,
      Optional<String> displayName, Optional<String> externalId) {
    public NewWallet {
      policyIds = List.copyOf(policyIds);
      signers = List.copyOf(signers);
    }

    WalletRecord record(final String walletId, final String chainType, final String address, final String publicKey,
        final String wrappedKey, final long createdAt) {
      return new WalletRecord(walletId, address, chainType, publicKey, wrappedKey, ownerId, policyIds, signers,
          displayName, externalId, createdAt);
    }
  }
}
