package dev.mandate.signing;

import dev.mandate.api.Json;
import dev.mandate.enclave.protocol.Executed;
import dev.mandate.enclave.protocol.SealedRecord;
import dev.mandate.enclave.records.QuorumRecord;
import dev.mandate.enclave.records.SessionKeyRecord;
import dev.mandate.enclave.records.UserRecord;
import dev.mandate.enclave.records.WalletRecord;
import dev.mandate.store.Item;
import dev.mandate.store.Store;
import dev.mandate.store.Update;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Lookup items the host keeps beside sealed records, written in the same transaction: a wallet's
 * external id, a login's custom-auth id → user, and user → wallets (for {@code linked_accounts}).
 * They are only pointers: the enclave checks the sealed record they lead to before it acts.
 */
public final class Pointers {
  public static final String EXTERNAL_ID = WalletExternalIds.KIND;
  public static final String CUSTOM_AUTH = "custom_auth";
  public static final String USER_WALLET = "user_wallet";
  public static final String FIRST_WALLET = "user_first_wallet";

  private final Store store;

  Pointers(final Store store) {
    this.store = store;
  }

  /** The pointer writes an execution implies. */
  List<Update> writes(final String appId, final Executed executed, final Map<RecordRef, Item> loaded) {
    final List<Update> writes = new ArrayList<>();
    final boolean authenticating = executed.created().stream().anyMatch(r -> r.kind().equals(SessionKeyRecord.KIND));
    for (final SealedRecord record : executed.created()) {
      if (record.kind().equals(WalletRecord.KIND) && authenticating) {
        // A wallet made for a user at login: one per user, however many logins race to make it.
        ownerUsers(WalletRecord.fromDoc(record.doc()), executed, loaded).forEach(user -> writes.add(Update.create(
            Item.of(appId, FIRST_WALLET, userPrefix(user) + "first", Json.object().put("wallet_id", record.id()).toString()))));
      }
      if (record.kind().equals(WalletRecord.KIND)) {
        final WalletRecord wallet = WalletRecord.fromDoc(record.doc());
        wallet.externalId().ifPresent(ext -> writes.add(Update.create(Item.of(appId, EXTERNAL_ID, ext,
            Json.object().put("wallet_id", wallet.id()).toString()))));
        ownerUsers(wallet, executed, loaded).forEach(user -> writes.add(Update.create(userWallet(appId, user, wallet.id()))));
      }
      if (record.kind().equals(UserRecord.KIND)) {
        final UserRecord user = UserRecord.fromDoc(record.doc());
        user.customAuthId().ifPresent(sub -> writes.add(Update.create(Item.of(appId, CUSTOM_AUTH, sub,
            Json.object().put("user_id", user.id()).toString()))));
      }
    }
    for (final SealedRecord record : executed.updated()) {
      if (record.kind().equals(WalletRecord.KIND)) {
        final WalletRecord after = WalletRecord.fromDoc(record.doc());
        final WalletRecord before = WalletRecord.fromDoc(loaded.get(RecordRef.wallet(after.id())).doc());
        final Set<String> old = ownerUsers(before, executed, loaded);
        final Set<String> now = ownerUsers(after, executed, loaded);
        old.stream().filter(u -> !now.contains(u)).forEach(u -> store.get(appId, USER_WALLET, userWalletId(u, after.id()))
            .ifPresent(item -> writes.add(Update.delete(appId, USER_WALLET, item.id(), item.version()))));
        now.stream().filter(u -> !old.contains(u))
            .forEach(u -> writes.add(Update.create(userWallet(appId, u, after.id()))));
      }
    }
    return writes;
  }

  /** The users in a wallet's owner quorum, which must be among the loaded or newly created records. */
  private static Set<String> ownerUsers(final WalletRecord wallet, final Executed executed,
      final Map<RecordRef, Item> loaded) {
    final Set<String> users = new HashSet<>();
    wallet.ownerId().flatMap(owner -> quorum(owner, executed, loaded)).ifPresent(q -> users.addAll(q.userIds()));
    return users;
  }

  private static Optional<QuorumRecord> quorum(final String id, final Executed executed, final Map<RecordRef, Item> loaded) {
    for (final SealedRecord record : executed.created()) {
      if (record.kind().equals(QuorumRecord.KIND) && record.id().equals(id)) {
        return Optional.of(QuorumRecord.fromDoc(record.doc()));
      }
    }
    return Optional.ofNullable(loaded.get(RecordRef.quorum(id))).map(item -> QuorumRecord.fromDoc(item.doc()));
  }

  private static Item userWallet(final String appId, final String userId, final String walletId) {
    return Item.of(appId, USER_WALLET, userWalletId(userId, walletId), Json.object()
        .put("user_id", userId).put("wallet_id", walletId).toString());
  }

  /** {@code <user id without did:privy:>.<wallet id>}, so one user's wallets are one range of ids. */
  static String userWalletId(final String userId, final String walletId) {
    return userPrefix(userId) + walletId;
  }

  public static String userPrefix(final String userId) {
    return (userId.startsWith(UserRecord.ID_PREFIX) ? userId.substring(UserRecord.ID_PREFIX.length()) : userId) + ".";
  }
}
