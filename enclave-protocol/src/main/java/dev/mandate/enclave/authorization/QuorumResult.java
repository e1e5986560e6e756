package dev.mandate.enclave.authorization;

import java.util.Optional;
import java.util.Set;

/**
 * The verdict of one {@link KeyQuorum} on one request.
 *
 * @param quorumId the evaluated quorum
 * @param outcome satisfied, or why not
 * @param approvals members (at the top level) that approved: keys, users and satisfied children
 * @param required approvals the quorum needs
 * @param verifiedKeys every key, at any level and including users' session keys, with a valid
 *     signature, whether or not its child quorum reached its own threshold
 * @param approvingUserIds users (at any level) one of whose session keys signed
 * @param satisfiedChildIds child quorums whose own threshold was met
 */
public record QuorumResult(
    String quorumId,
    Outcome outcome,
    int approvals,
    int required,
    Set<P256PublicKey> verifiedKeys,
    Set<String> approvingUserIds,
    Set<String> satisfiedChildIds) {

  public QuorumResult {
    verifiedKeys = Set.copyOf(verifiedKeys);
    approvingUserIds = Set.copyOf(approvingUserIds);
    satisfiedChildIds = Set.copyOf(satisfiedChildIds);
  }

  public boolean satisfied() {
    return outcome == Outcome.SATISFIED;
  }

  /** Why a quorum did or did not authorize, with Privy's error code for the failures (all 401). */
  public enum Outcome {
    SATISFIED(null),
    /** Not one signature verified against any member. */
    ZERO_CORRECT_SIGNATURES("zero_correct_authorization_signatures"),
    /** Some members signed, but fewer than the threshold. */
    INSUFFICIENT_CORRECT_SIGNATURES("insufficient_correct_authorization_signatures"),
    /** Nothing verified and a user member has no session key. */
    NO_VALID_USER_SESSION_KEYS("no_valid_user_session_keys"),
    /** Nothing verified and a user member's session keys have all expired. */
    USER_SESSION_KEYS_EXPIRED("user_session_keys_expired");

    private final String privyCode;

    Outcome(final String privyCode) {
      this.privyCode = privyCode;
    }

    /** Privy's error code, empty for {@link #SATISFIED}. */
    public Optional<String> privyErrorCode() {
      return Optional.ofNullable(privyCode);
    }
  }
}
