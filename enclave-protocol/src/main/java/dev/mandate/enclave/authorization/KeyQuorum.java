package dev.mandate.enclave.authorization;

import dev.mandate.enclave.InvalidRequestException;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Who may authorize: an m-of-n quorum whose members are P-256 keys, users (through their session
 * keys) and child quorums, nested at most one level (privy-api.md §3.2).
 *
 * @param id the key quorum id
 * @param keys authorization keys, each one member
 * @param userIds users, each one member, proven by any of their current session keys
 * @param children child quorums, each one member once its own threshold is met; at most {@value
 *     #MAX_CHILDREN}, and they have no children themselves
 * @param threshold members needed; empty means all of them (Privy's default)
 */
public record KeyQuorum(
    String id, List<P256PublicKey> keys, List<String> userIds, List<KeyQuorum> children, OptionalInt threshold) {
  public static final int MAX_CHILDREN = 5;

  /** @throws InvalidRequestException if the quorum could never be evaluated as Privy would */
  public KeyQuorum {
    Objects.requireNonNull(id, "id");
    keys = List.copyOf(keys);
    userIds = List.copyOf(userIds);
    children = List.copyOf(children);
    Objects.requireNonNull(threshold, "threshold");
    checkMembers(id, keys, userIds, children);
    final int members = keys.size() + userIds.size() + children.size();
    if (threshold.isPresent() && (threshold.getAsInt() < 1 || threshold.getAsInt() > members)) {
      throw new InvalidRequestException(
          "key quorum " + id + ": authorization_threshold must be between 1 and its " + members + " members");
    }
  }

  /** The wire shape: a null threshold means all members. */
  public static KeyQuorum of(
      final String id,
      final List<P256PublicKey> keys,
      final List<String> userIds,
      final List<KeyQuorum> children,
      final Integer threshold) {
    return new KeyQuorum(id, keys, userIds, children, threshold == null ? OptionalInt.empty() : OptionalInt.of(threshold));
  }

  /** A quorum of keys only. */
  public static KeyQuorum ofKeys(final String id, final List<P256PublicKey> keys, final Integer threshold) {
    return of(id, keys, List.of(), List.of(), threshold);
  }

  /** How many members must approve. */
  public int requiredApprovals() {
    return threshold.orElse(memberCount());
  }

  public int memberCount() {
    return keys.size() + userIds.size() + children.size();
  }

  private static void checkMembers(
      final String id, final List<P256PublicKey> keys, final List<String> userIds, final List<KeyQuorum> children) {
    if (keys.isEmpty() && userIds.isEmpty() && children.isEmpty()) {
      throw new InvalidRequestException("key quorum " + id + " has no members");
    }
    // A duplicated member would let one signer count twice towards the threshold.
    if (new HashSet<>(keys).size() != keys.size()
        || new HashSet<>(userIds).size() != userIds.size()
        || children.stream().map(KeyQuorum::id).distinct().count() != children.size()) {
      throw new InvalidRequestException("key quorum " + id + " lists a member more than once");
    }
    if (children.size() > MAX_CHILDREN) {
      throw new InvalidRequestException("key quorum " + id + " has more than " + MAX_CHILDREN + " key_quorum_ids");
    }
    if (children.stream().anyMatch(child -> !child.children().isEmpty() || child.id().equals(id))) {
      throw new InvalidRequestException("key quorum " + id + ": key_quorum_ids can only be nested 1 level deep");
    }
  }
}
