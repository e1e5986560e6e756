package dev.mandate.enclave.authorization;

import java.util.List;

/**
 * What a user member of a quorum can sign with right now. The distinction between {@link None} and
 * {@link Expired} exists because Privy reports them with different error codes.
 */
public sealed interface UserSessionKeys {

  /** Looks up a user's session keys; called at most once per user per {@link QuorumCheck}. */
  @FunctionalInterface
  interface Resolver {
    UserSessionKeys sessionKeys(String userId);

    /** For quorums without users, or callers that have no session-key store yet. */
    Resolver NONE = userId -> none();
  }

  /** Keys that are currently valid for the user (at least one). */
  record Active(List<P256PublicKey> keys) implements UserSessionKeys {
    public Active {
      keys = List.copyOf(keys);
      if (keys.isEmpty()) {
        throw new IllegalArgumentException("use UserSessionKeys.none() for a user without keys");
      }
    }
  }

  /** The user has never had a session key (or it was revoked). */
  record None() implements UserSessionKeys {}

  /** The user had session keys but all of them have expired. */
  record Expired() implements UserSessionKeys {}

  static UserSessionKeys active(final List<P256PublicKey> keys) {
    return keys.isEmpty() ? none() : new Active(keys);
  }

  static UserSessionKeys none() {
    return new None();
  }

  static UserSessionKeys expired() {
    return new Expired();
  }
}
