package dev.mandate.enclave.authorization;

import dev.mandate.enclave.authorization.QuorumResult.Outcome;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether the signatures on one request satisfy key quorums (privy-api.md §2.6). Pure
 * logic: session keys come from the caller's {@link UserSessionKeys.Resolver}.
 *
 * <p>One instance per request, not thread-safe. Verifications are memoised, so checking the
 * owner quorum and then each additional signer's quorum never verifies a (signature, key) pair
 * twice; each key is judged once, however many quorums or users list it.
 *
 * <p>Counting rules: a member key counts once however often it signs; a user counts once if any
 * session key signed; a child quorum counts as one member once its own threshold is met; invalid or
 * surplus signatures do not hurt. All members are evaluated (no short-circuit) so the result says
 * exactly who authorized.
 */
public final class QuorumCheck {
  private final List<byte[]> digests;
  private final List<Optional<EcdsaSignature>> signatures;
  private final UserSessionKeys.Resolver users;
  private final Map<P256PublicKey, Boolean> signedBy = new HashMap<>();
  private final Map<String, UserSessionKeys> sessionKeys = new HashMap<>();
  // A signature that verified under one key is not tried against others: an honest signature
  // verifies under one key only, and skipping it roughly halves the work for m-of-n quorums.
  private final boolean[] claimed;

  public QuorumCheck(
      final AuthorizationPayload payload, final SignatureHeader header, final UserSessionKeys.Resolver users) {
    this.digests = payload.acceptedEncodings().stream().map(P256PublicKey::sha256).toList();
    this.signatures = header.raw().stream().map(EcdsaSignature::fromDer).toList();
    this.users = users;
    this.claimed = new boolean[signatures.size()];
  }

  /** Evaluates one quorum against the request's signatures. */
  public QuorumResult evaluate(final KeyQuorum quorum) {
    final Tally tally = new Tally();
    final int approvals = approvals(quorum, tally);
    return new QuorumResult(
        quorum.id(),
        outcome(approvals, quorum.requiredApprovals(), tally),
        approvals,
        quorum.requiredApprovals(),
        tally.verifiedKeys,
        tally.approvingUsers,
        tally.satisfiedChildren);
  }

  private int approvals(final KeyQuorum quorum, final Tally tally) {
    int approvals = 0;
    for (final P256PublicKey key : quorum.keys()) {
      approvals += keySigned(key, tally) ? 1 : 0;
    }
    for (final String userId : quorum.userIds()) {
      approvals += userSigned(userId, tally) ? 1 : 0;
    }
    for (final KeyQuorum child : quorum.children()) {
      if (approvals(child, tally) >= child.requiredApprovals()) {
        tally.satisfiedChildren.add(child.id());
        approvals++;
      }
    }
    return approvals;
  }

  private boolean userSigned(final String userId, final Tally tally) {
    switch (sessionKeys.computeIfAbsent(userId, users::sessionKeys)) {
      case UserSessionKeys.Active active -> {
        for (final P256PublicKey key : active.keys()) {
          if (keySigned(key, tally)) {
            tally.approvingUsers.add(userId);
            return true;
          }
        }
        return false;
      }
      case UserSessionKeys.None none -> tally.userWithoutKeys = true;
      case UserSessionKeys.Expired expired -> tally.userKeysExpired = true;
    }
    return false;
  }

  private boolean keySigned(final P256PublicKey key, final Tally tally) {
    final boolean signed = signedBy.computeIfAbsent(key, this::findSignature);
    if (signed) {
      tally.verifiedKeys.add(key);
    }
    return signed;
  }

  private boolean findSignature(final P256PublicKey key) {
    for (int i = 0; i < signatures.size(); i++) {
      if (!claimed[i] && signatures.get(i).isPresent() && verifiesAnyEncoding(key, signatures.get(i).get())) {
        claimed[i] = true;
        return true;
      }
    }
    return false;
  }

  private boolean verifiesAnyEncoding(final P256PublicKey key, final EcdsaSignature signature) {
    for (final byte[] digest : digests) {
      if (key.verifyDigest(digest, signature)) {
        return true;
      }
    }
    return false;
  }

  private static Outcome outcome(final int approvals, final int required, final Tally tally) {
    if (approvals >= required) {
      return Outcome.SATISFIED;
    }
    if (!tally.verifiedKeys.isEmpty()) {
      return Outcome.INSUFFICIENT_CORRECT_SIGNATURES;
    }
    // Nothing verified: if a user could not have signed at all, that is the more useful answer.
    if (tally.userKeysExpired) {
      return Outcome.USER_SESSION_KEYS_EXPIRED;
    }
    return tally.userWithoutKeys ? Outcome.NO_VALID_USER_SESSION_KEYS : Outcome.ZERO_CORRECT_SIGNATURES;
  }

  /** What one evaluation saw, across the quorum and its children. */
  private static final class Tally {
    final Set<P256PublicKey> verifiedKeys = new HashSet<>();
    final Set<String> approvingUsers = new HashSet<>();
    final Set<String> satisfiedChildren = new HashSet<>();
    boolean userWithoutKeys;
    boolean userKeysExpired;
  }
}
