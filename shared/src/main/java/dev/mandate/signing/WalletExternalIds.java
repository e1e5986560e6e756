package dev.mandate.signing;

/**
 * External ids ({@code ext_wal_<external_id>}) map to wallet ids through claim items, one per
 * external id, created in the wallet's own transaction so two wallets can never share one. The claim is
 * only a pointer: the enclave checks the sealed wallet's own external id before acting.
 */
public final class WalletExternalIds {
  public static final String KIND = "wallet_external_id";
  public static final String PREFIX = "ext_wal_";

  private WalletExternalIds() {}
}
