package dev.mandate.enclave.execution;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.enclave.IntegrityException;
import dev.mandate.enclave.InvalidRequestException;
import dev.mandate.enclave.keys.KeyContext;
import dev.mandate.enclave.keys.KeyWrapper;
import dev.mandate.enclave.keys.WrappedKey;
import dev.mandate.enclave.protocol.Execute;
import dev.mandate.enclave.protocol.Executed;
import dev.mandate.enclave.protocol.SealedRecord;
import dev.mandate.enclave.policy.EvaluationContext;
import dev.mandate.enclave.policy.Operator;
import dev.mandate.enclave.policy.Policy;
import dev.mandate.enclave.records.ConditionSetRecord;
import dev.mandate.enclave.records.Docs;
import dev.mandate.enclave.records.RecordSealer;
import dev.mandate.enclave.records.WalletRecord;
import dev.mandate.enclave.solana.Base58;
import dev.mandate.enclave.solana.Ed25519PrivateKey;
import dev.mandate.enclave.solana.MalformedTransactionException;
import dev.mandate.enclave.solana.SolanaMessage;
import dev.mandate.enclave.solana.SolanaPolicyEngine;
import dev.mandate.enclave.solana.SolanaRequest;
import dev.mandate.enclave.solana.SolanaTransaction;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Solana wallets: ed25519 keys generated, wrapped and used only here; {@code signMessage},
 * {@code signTransaction} and {@code signAndSendTransaction} (the host broadcasts). The policy reads
 * the parsed message whose exact bytes are signed.
 */
final class SolanaActions implements WalletChain {
  static final String CHAIN_TYPE = "solana";

  private final KeyWrapper keys;

  SolanaActions(final KeyWrapper keys) {
    this.keys = keys;
  }

  @Override
  public String chainType() {
    return CHAIN_TYPE;
  }

  /** A new wallet: an ed25519 key from the enclave's RNG, wrapped to (app, wallet); address = base58 public key. */
  @Override
  public SealedRecord generate(final Request request, final RecordSealer sealer, final NewWallet settings) {
    final String walletId = dev.mandate.enclave.Ids.mint();
    try (Ed25519PrivateKey key = Ed25519PrivateKey.generate()) {
      final byte[] secret = key.toBytes();
      try {
        final WrappedKey wrapped = keys.wrap(secret, KeyContext.walletKey(request.appId, walletId));
        final WalletRecord wallet = settings.record(walletId, CHAIN_TYPE, key.address(), key.address(),
            wrapped.toStorageString(), request.now.toEpochMilli());
        return sealer.seal(request.appId, WalletRecord.KIND, walletId, wallet.toDoc());
      } finally {
        Arrays.fill(secret, (byte) 0);
      }
    }
  }

  @Override
  public Executed sign(final Request request, final VerifiedRecords records, final WalletRecord wallet, final List<Party> parties,
      final String method, final boolean raw, final boolean dryRun, final Map<String, String> hostInputs) {
    if (raw) {
      throw new InvalidRequestException("raw_sign is not supported for Solana wallets; use rpc signMessage "
          + "(ed25519 over the raw bytes).");
    }
    final SolanaRequest parsed = SolanaRequest.parse(method, request.body());
    parsed.address().filter(a -> !a.equals(wallet.address())).ifPresent(a -> {
      throw new InvalidRequestException("address does not match the wallet's address.");
    });
    final Optional<Integer> slot = parsed.transaction().map(tx -> signerSlot(tx, wallet.address()));
    parsed.message().ifPresent(message -> refuseTransactionMessage(message, wallet.address()));
    final Optional<SolanaMessage> message = parsed.transaction().map(SolanaTransaction::message);
    final ObjectNode decision = PolicyGate.check(records, wallet, parties, dryRun, hostInputs, policy -> SolanaPolicyEngine.evaluate(
        policy, method, message, context(request, records, policy)));
    final ObjectNode result = Docs.object().put("method", method);
    if (dryRun) {
      result.set("policy_decision", decision);
      return executed(result);
    }
    try (Ed25519PrivateKey key = unwrap(request.appId, wallet)) {
      result.set("data", switch (method) {
        case SolanaRequest.SIGN_MESSAGE -> Docs.object()
            .put("signature", Base64.getEncoder().encodeToString(key.sign(parsed.message().orElseThrow())))
            .put("encoding", "base64");
        case SolanaRequest.SIGN_TRANSACTION -> Docs.object()
            .put("signed_transaction", base64(signed(key, parsed.transaction().orElseThrow(), slot.orElseThrow())))
            .put("encoding", "base64");
        default -> send(key, parsed, slot.orElseThrow(), hostInputs);
      });
    }
    return executed(result);
  }

  /**
   * The signed transaction the host broadcasts. A dummy blockhash is replaced by the host's recent one
   * (only those 32 bytes change); signatures already present would no longer verify, so then there may be none.
   */
  private static ObjectNode send(final Ed25519PrivateKey key, final SolanaRequest parsed, final int slot,
      final Map<String, String> hostInputs) {
    SolanaTransaction tx = parsed.transaction().orElseThrow();
    if (tx.message().hasDummyBlockhash()) {
      if (tx.hasOtherSignatures(slot)) {
        throw new InvalidRequestException("params.transaction has co-signatures over the dummy blockhash; "
            + "filling the blockhash would invalidate them. Set a recent blockhash before co-signing.");
      }
      final byte[] blockhash = Optional.ofNullable(hostInputs.get(Execute.SOLANA_BLOCKHASH)).flatMap(Base58::decode)
          .filter(b -> b.length == 32)
          .orElseThrow(() -> new IllegalStateException("the host did not provide a recent blockhash"));
      tx = tx.withMessage(tx.message().withBlockhash(blockhash));
    }
    final SolanaTransaction signed = signed(key, tx, slot);
    return Docs.object()
        .put("signed_transaction", base64(signed))
        .put("hash", Base58.encode(signed.signature(0)))
        .put("caip2", parsed.caip2().orElseThrow());
  }

  private static SolanaTransaction signed(final Ed25519PrivateKey key, final SolanaTransaction tx, final int slot) {
    return tx.withSignature(slot, key.sign(tx.message().bytes()));
  }

  private static int signerSlot(final SolanaTransaction tx, final String address) {
    return tx.message().signerSlot(address).orElseThrow(() -> new InvalidRequestException(
        "params.transaction does not need this wallet's signature: " + address + " is not one of its required signers."));
  }

  /**
   * signMessage signs raw bytes. Bytes that are a transaction message this wallet must sign would be a
   * transaction signed without the transaction policy; they are refused.
   */
  private static void refuseTransactionMessage(final byte[] message, final String address) {
    final Optional<SolanaMessage> parsed;
    try {
      parsed = Optional.of(SolanaMessage.parse(message));
    } catch (MalformedTransactionException | IllegalArgumentException e) {
      return;
    }
    if (parsed.flatMap(m -> m.signerSlot(address)).isPresent()) {
      throw new InvalidRequestException("params.message is a Solana transaction message for this wallet; "
          + "sign it with signTransaction, where policies apply.");
    }
  }

  /** The clock and the condition sets the policy names; aggregations are Ethereum-only (Policy refuses them here). */
  private static EvaluationContext context(final Request request, final VerifiedRecords records, final Policy policy) {
    final Map<String, List<String>> sets = new java.util.HashMap<>();
    policy.rules().forEach(rule -> rule.conditions().stream()
        .filter(c -> c.operator() == Operator.IN_CONDITION_SET)
        .forEach(c -> c.values().forEach(id -> records.conditionSet(id).map(ConditionSetRecord::values)
            .ifPresent(values -> sets.put(id, values)))));
    return EvaluationContext.of(request.now, sets, Map.of());
  }

  private Ed25519PrivateKey unwrap(final String appId, final WalletRecord wallet) {
    final byte[] secret = keys.unwrap(WrappedKey.parse(wallet.wrappedKey()), KeyContext.walletKey(appId, wallet.id()));
    try {
      final Ed25519PrivateKey key;
      try {
        key = Ed25519PrivateKey.fromSeed(secret);
      } catch (IllegalArgumentException e) {
        throw new IntegrityException("unwrapped key is not an ed25519 seed");
      }
      // The sealed record names the address; a key that does not derive it belongs elsewhere.
      if (!key.address().equals(wallet.address())) {
        key.close();
        throw new IntegrityException("wrapped key does not match the wallet's address");
      }
      return key;
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  private static String base64(final SolanaTransaction tx) {
    return Base64.getEncoder().encodeToString(tx.toBytes());
  }

  private static Executed executed(final ObjectNode result) {
    return new Executed(Optional.of(result.toString()), Optional.empty(), List.of(), List.of(), List.of());
  }
}
