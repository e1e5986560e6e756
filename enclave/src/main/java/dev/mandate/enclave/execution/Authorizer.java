package dev.mandate.enclave.execution;

import dev.mandate.enclave.AuthorizationException;
import dev.mandate.enclave.InvalidRequestException;
import dev.mandate.enclave.authorization.QuorumCheck;
import dev.mandate.enclave.authorization.QuorumResult;
import dev.mandate.enclave.authorization.SignatureHeader;
import dev.mandate.enclave.authorization.UserSessionKeys;
import dev.mandate.enclave.records.WalletRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a request carries the authorization signatures it needs, and from whom.
 *
 * <p>Rules (Privy's): an ownerless resource is controlled by the app secret alone; an owned one needs
 * signatures meeting its owner quorum's threshold; a wallet action may instead be authorized by one
 * of the wallet's signers. Request expiry is checked for every request that carries it, signed or not.
 */
final class Authorizer {
  /** The latest expiry accepted: Privy's SDK uses 15 minutes, its intents 72 hours. */
  static final Duration MAX_EXPIRY_AHEAD = Duration.ofHours(72);

  private Authorizer() {}

  static void checkExpiry(final Request request) {
    final String raw = request.http.privyHeaders().get("privy-request-expiry");
    if (raw == null) {
      return;
    }
    final long expiry;
    try {
      expiry = Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      throw new InvalidRequestException("privy-request-expiry must be a Unix timestamp in milliseconds.");
    }
    if (Instant.ofEpochMilli(expiry).isBefore(request.now)) {
      throw new InvalidRequestException("Request has expired: privy-request-expiry is in the past.", "request_expired");
    }
    if (Instant.ofEpochMilli(expiry).isAfter(request.now.plus(MAX_EXPIRY_AHEAD))) {
      throw new InvalidRequestException("privy-request-expiry may be at most 72 hours in the future.");
    }
  }

  /** For changes to a resource: only its owner (or, when it has none, the app). */
  static Party owner(final Request request, final VerifiedRecords records, final Optional<String> ownerId,
      final SessionKeys users) {
    if (ownerId.isEmpty()) {
      return Party.APP;
    }
    final QuorumResult result = check(request, users).evaluate(records.keyQuorum(ownerId.get()));
    if (!result.satisfied()) {
      throw failure(List.of(result));
    }
    users.note(result);
    return Party.owner(ownerId.get());
  }

  /**
   * For wallet actions: every party whose quorum the signatures satisfy, owner first. Empty signatures
   * on an owned wallet are refused; an ownerless wallet is the app's to use.
   */
  static List<Party> ownerOrSigners(final Request request, final VerifiedRecords records, final WalletRecord wallet,
      final SessionKeys users) {
    if (wallet.ownerId().isEmpty()) {
      return List.of(Party.APP);
    }
    final QuorumCheck check = check(request, users);
    final List<Party> parties = new ArrayList<>();
    final List<QuorumResult> failures = new ArrayList<>();
    final QuorumResult owner = check.evaluate(records.keyQuorum(wallet.ownerId().get()));
    record(owner, Party.owner(wallet.ownerId().get()), parties, failures, users);
    for (final WalletRecord.Signer signer : wallet.additionalSigners()) {
      // A signer whose quorum no longer exists simply cannot sign; it must not block the owner.
      if (records.quorum(signer.signerId()).isPresent()) {
        record(check.evaluate(records.keyQuorum(signer.signerId())), Party.signer(signer.signerId()), parties, failures,
            users);
      }
    }
    if (parties.isEmpty()) {
      throw failure(failures);
    }
    return List.copyOf(parties);
  }

  private static void record(final QuorumResult result, final Party party, final List<Party> parties,
      final List<QuorumResult> failures, final SessionKeys users) {
    if (result.satisfied()) {
      users.note(result);
      parties.add(party);
    } else {
      failures.add(result);
    }
  }

  private static QuorumCheck check(final Request request, final UserSessionKeys.Resolver users) {
    final SignatureHeader header = SignatureHeader.parse(request.http.signatures().orElse(""))
        .orElseThrow(AuthorizationException::missing);
    return new QuorumCheck(request.payload(), header, users);
  }

  /** The most telling failure: partial approval beats none; user-key problems explain "none". */
  private static AuthorizationException failure(final List<QuorumResult> failures) {
    QuorumResult.Outcome best = QuorumResult.Outcome.ZERO_CORRECT_SIGNATURES;
    for (final QuorumResult r : failures) {
      if (rank(r.outcome()) > rank(best)) {
        best = r.outcome();
      }
    }
    return switch (best) {
      case INSUFFICIENT_CORRECT_SIGNATURES -> new AuthorizationException(
          "insufficient_correct_authorization_signatures", AuthorizationException.INSUFFICIENT_MESSAGE);
      case NO_VALID_USER_SESSION_KEYS -> new AuthorizationException(
          "no_valid_user_session_keys", "No valid user session keys were found for this request. Authenticate the user to get one.");
      case USER_SESSION_KEYS_EXPIRED -> new AuthorizationException(
          "user_session_keys_expired", "The user's session keys have expired. Authenticate the user again.");
      default -> new AuthorizationException(
          "zero_correct_authorization_signatures", AuthorizationException.ZERO_MESSAGE);
    };
  }

  private static int rank(final QuorumResult.Outcome outcome) {
    return switch (outcome) {
      case INSUFFICIENT_CORRECT_SIGNATURES -> 3;
      case USER_SESSION_KEYS_EXPIRED -> 2;
      case NO_VALID_USER_SESSION_KEYS -> 1;
      default -> 0;
    };
  }
}
