package dev.mandate.recurring;

/**
 * Creates and uses the P-256 keys recurring actions sign with. Each action's public key is registered
 * as a key quorum, and the wallet owner adds that quorum as a signer; the runner then signs Privy's
 * authorization payload for every request the action makes. Implementations are thread-safe.
 */
public interface ActionSigner {

  /** A new key for action {@code actionId} of app {@code appId}. */
  ActionKey create(String appId, String actionId);

  /**
   * Signs {@code payload} (the authorization payload bytes, unhashed) with ECDSA P-256 over SHA-256.
   *
   * @return standard base64 of the DER signature, as {@code privy-authorization-signature} carries it
   * @throws IllegalArgumentException if {@code key} was made by another kind of signer
   */
  String sign(ActionKey key, byte[] payload);

  /** Makes the key unusable once the action is deleted; repeating it is harmless. */
  void retire(ActionKey key);
}
