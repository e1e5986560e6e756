package dev.mandate.enclave.execution;

/**
 * Who authorized a request: the wallet's owner quorum, one of its signers, or — for an ownerless
 * resource — the app itself by its secret.
 */
record Party(Kind kind, String quorumId) {
  enum Kind { APP, OWNER, SIGNER }

  static final Party APP = new Party(Kind.APP, null);

  static Party owner(final String quorumId) {
    return new Party(Kind.OWNER, quorumId);
  }

  static Party signer(final String quorumId) {
    return new Party(Kind.SIGNER, quorumId);
  }
}
