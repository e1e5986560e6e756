package dev.mandate.enclave.ethereum;

/**
 * The one operation a signing request needs from a wallet key: sign a 32-byte digest. The enclave's
 * {@code Secp256k1PrivateKey} implements it; a request (pure code the host links) never sees the key
 * bytes, only this operation.
 */
public interface DigestSigner {
  /** The address of the key that signs (a transaction's {@code from} must match it). */
  EthAddress address();

  /** RFC 6979 deterministic, low-S, with the recovery id. */
  RecoverableSignature signDigest(byte[] digest);
}
