package dev.mandate.enclave.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.enclave.IntegrityException;
import dev.mandate.enclave.InvalidRequestException;
import dev.mandate.enclave.RecordMissingException;
import dev.mandate.enclave.authorization.P256PublicKey;
import dev.mandate.enclave.authorization.UserSessionKeys;
import dev.mandate.enclave.ethereum.Secp256k1PrivateKey;
import dev.mandate.enclave.ethereum.SigningRequest;
import dev.mandate.enclave.policy.PolicyInput;
import dev.mandate.enclave.keys.KeyContext;
import dev.mandate.enclave.keys.KeyWrapper;
import dev.mandate.enclave.keys.WrappedKey;
import dev.mandate.enclave.protocol.Executed;
import dev.mandate.enclave.protocol.SealedRecord;
import dev.mandate.enclave.records.Docs;
import dev.mandate.enclave.records.QuorumRecord;
import dev.mandate.enclave.records.RecordSealer;
import dev.mandate.enclave.records.WalletRecord;
import dev.mandate.enclave.Ids;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.regex.Pattern;

/** Wallet actions: create (key generation), update (owner, signers, policies) and sign. */
final class WalletActions {
  private static final Set<String> CREATE_FIELDS = Set.of(
      "chain_type", "display_name", "external_id", "owner", "owner_id", "policy_ids", "additional_signers");
  private static final Set<String> UPDATE_FIELDS = Set.of(
      "display_name", "owner", "owner_id", "policy_ids", "additional_signers");
  private static final Pattern EXTERNAL_ID = Pattern.compile("^[a-zA-Z0-9_-]{1,64}$");
  private static final int MAX_DISPLAY_NAME = 100;
  /** Privy: "Currently, only one policy is supported per wallet" (and per signer). */
  private static final int MAX_POLICIES = 1;
  private static final int MAX_SIGNERS = 20;
  static final String POLICY_KIND = "policy";

  private final KeyWrapper keys;
  private final CheckedKeys checkedKeys = new CheckedKeys();
  /** The chains a wallet can be on, by chain_type. */
  private final java.util.Map<String, WalletChain> chains;

  WalletActions(final KeyWrapper keys) {
    this.keys = keys;
    this.chains = java.util.Map.of(EthereumChain.CHAIN_TYPE, new EthereumChain(this),
        SolanaActions.CHAIN_TYPE, new SolanaActions(keys));
  }

  private WalletChain chain(final String chainType) {
    return Optional.ofNullable(chains.get(chainType)).orElseThrow(() -> new InvalidRequestException(
        "chain_type must be one of " + chains.keySet().stream().sorted().map(c -> "\"" + c + "\"").toList() + "."));
  }

  Executed create(final Request request, final VerifiedRecords records, final RecordSealer sealer) {
    final ObjectNode body = request.body();
    Fields.allowOnly(body, CREATE_FIELDS);
    final String chainType = Fields.requiredText(body, "chain_type");
    final WalletChain chain = chain(chainType);
    final List<SealedRecord> created = new ArrayList<>();
    final Optional<String> ownerId = Owners.resolve(request, body, records, sealer, created);
    final List<String> policies = policies(body, records, chainType);
    final List<WalletRecord.Signer> signers = signers(body, records);
    final Optional<String> displayName = Fields.optionalText(body, "display_name", MAX_DISPLAY_NAME);
    final Optional<String> externalId = Fields.optionalText(body, "external_id", 64);
    if (externalId.isPresent() && !EXTERNAL_ID.matcher(externalId.get()).matches()) {
      throw new InvalidRequestException("external_id must match ^[a-zA-Z0-9_-]+$ and be at most 64 characters.");
    }
    final SealedRecord sealed = chain.generate(request, sealer,
        new WalletChain.NewWallet(ownerId, policies, SignerPins.pinned(signers, ownerId, records, created), displayName, externalId));
    created.add(0, sealed);
    return new Executed(Optional.empty(), Optional.of(sealed), created, List.of(), List.of());
  }

  /** A new ownerless-by-default wallet: key generated, wrapped to (app, wallet), record sealed. */
  SealedRecord generate(final Request request, final RecordSealer sealer, final Optional<String> ownerId) {
    return generate(request, sealer, ownerId, List.of(), List.of(), Optional.empty(), Optional.empty());
  }

  SealedRecord generate(final Request request, final RecordSealer sealer, final Optional<String> ownerId,
      final List<String> policies, final List<WalletRecord.Signer> signers, final Optional<String> displayName,
      final Optional<String> externalId) {
    final String walletId = Ids.mint();
    try (Secp256k1PrivateKey key = Secp256k1PrivateKey.generate()) {
      final byte[] secret = key.toBytes();
      try {
        final WrappedKey wrapped = keys.wrap(secret, KeyContext.walletKey(request.appId, walletId));
        final WalletRecord wallet = new WalletRecord(walletId, key.address().toChecksumHex(), "ethereum",
            key.publicKey().toCompressedHex(), wrapped.toStorageString(), ownerId, policies, signers,
            displayName, externalId, request.now.toEpochMilli());
        return sealer.seal(request.appId, WalletRecord.KIND, walletId, wallet.toDoc());
      } finally {
        Arrays.fill(secret, (byte) 0);
      }
    }
  }

  Executed update(final Request request, final VerifiedRecords records, final RecordSealer sealer,
      final String walletSegment, final SessionKeys users) {
    final WalletRecord wallet = target(records, walletSegment);
    Authorizer.owner(request, records, wallet.ownerId(), users);
    final ObjectNode body = request.body();
    Fields.allowOnly(body, UPDATE_FIELDS);
    if (body.isEmpty()) {
      throw new InvalidRequestException("At least one field must be provided.");
    }
    final List<SealedRecord> created = new ArrayList<>();
    WalletRecord updated = wallet;
    if (Fields.present(body, "owner") || Fields.present(body, "owner_id")) {
      updated = updated.withOwner(Owners.resolve(request, body, records, sealer, created));
    }
    if (Fields.present(body, "policy_ids")) {
      updated = updated.withPolicies(policies(body, records, wallet.chainType()));
    }
    if (Fields.present(body, "additional_signers")) {
      updated = updated.withSigners(signers(body, records));
    }
    if (Fields.present(body, "display_name")) {
      updated = updated.withDisplayName(Fields.optionalText(body, "display_name", MAX_DISPLAY_NAME));
    }
    if (Fields.present(body, "additional_signers")) {
      // The owner approves the scopes of the signers it adds or changes, as they are now; an entry it
      // sends unchanged keeps the pin it had (a stale one stays stale: approving another signer, or
      // sending the whole list as the SDKs do, does not approve what the app changed meanwhile).
      updated = updated.withSigners(SignerPins.carried(wallet.additionalSigners(), updated.additionalSigners(),
          updated.ownerId(), records, created));
    }
    final SealedRecord sealed = sealer.seal(request.appId, WalletRecord.KIND, wallet.id(), updated.toDoc());
    return new Executed(Optional.empty(), Optional.of(sealed), created, List.of(sealed), List.of());
  }

  Executed sign(final Request request, final VerifiedRecords records, final String walletSegment,
      final boolean raw, final boolean dryRun, final SessionKeys users, final java.util.Map<String, String> hostInputs) {
    final WalletRecord wallet = target(records, walletSegment);
    final List<Party> parties = Authorizer.ownerOrSigners(request, records, wallet, users);
    final ObjectNode body = request.body();
    final String method = raw ? "raw_sign" : method(body);
    return chain(wallet.chainType()).sign(request, records, wallet, parties, method, raw, dryRun, hostInputs);
  }

  /** The Ethereum side of {@link #sign} ({@link EthereumChain}). */
  Executed signEthereum(final Request request, final VerifiedRecords records, final WalletRecord wallet,
      final List<Party> parties, final String method, final boolean raw, final boolean dryRun,
      final java.util.Map<String, String> hostInputs) {
    final ObjectNode body = request.body();
    if (method.equals("eth_sendTransaction")) {
      return Sends.send(request, records, wallet, parties, dryRun, hostInputs, this);
    }
    final SigningRequest signing = raw ? SigningRequest.parseRawSign(body) : SigningRequest.parseRpc(method, body);
    // The policy judges the parsed request itself: what it reads is what is signed.
    final ObjectNode decision =
        PolicyGate.check(request, records, wallet, parties, PolicyInput.of(method, signing), dryRun, hostInputs);
    if (dryRun) {
      // Mandate's dry run: the decision that signing would meet, and nothing signed.
      final ObjectNode result = Docs.object().put("method", method);
      result.set("policy_decision", decision);
      return new Executed(Optional.of(result.toString()), Optional.empty(), List.of(), List.of(), List.of());
    }
    try (Secp256k1PrivateKey key = unwrap(request.appId, wallet)) {
      final ObjectNode result = Docs.object().put("method", method);
      result.set("data", signing.sign(key));
      return new Executed(Optional.of(result.toString()), Optional.empty(), List.of(), List.of(), List.of());
    }
  }

  /** The wallet the path names, by id or {@code ext_wal_<external_id>}, as the sealed record says. */
  static WalletRecord target(final VerifiedRecords records, final String segment) {
    if (segment.startsWith("ext_wal_")) {
      final String external = segment.substring("ext_wal_".length());
      // The host resolved the external id; the sealed record must agree, or the pointer was tampered with.
      return records.walletsMatching(w -> w.externalId().filter(external::equals).isPresent())
          .orElseThrow(() -> new RecordMissingException("Wallet not found."));
    }
    return records.wallet(segment).orElseThrow(() -> new RecordMissingException("Wallet not found."));
  }

  /** Signs {@code signing} with the wallet's key; the key exists in plaintext only inside this call. */
  ObjectNode signWith(final String appId, final WalletRecord wallet, final SigningRequest signing) {
    try (Secp256k1PrivateKey key = unwrap(appId, wallet)) {
      return signing.sign(key);
    }
  }

  private Secp256k1PrivateKey unwrap(final String appId, final WalletRecord wallet) {
    final KeyContext context = KeyContext.walletKey(appId, wallet.id());
    final byte[] secret = keys.unwrap(WrappedKey.parse(wallet.wrappedKey()), context);
    try {
      final Secp256k1PrivateKey key;
      try {
        key = Secp256k1PrivateKey.fromBytes(secret);
      } catch (IllegalArgumentException e) {
        throw new IntegrityException("unwrapped key is not a valid secp256k1 scalar");
      }
      // The sealed record names the address; a key that does not derive it belongs elsewhere.
      if (!checkedKeys.contains(context, wallet.wrappedKey(), wallet.address())) {
        if (!key.address().toChecksumHex().equalsIgnoreCase(wallet.address())) {
          key.close();
          throw new IntegrityException("wrapped key does not match the wallet's address");
        }
        checkedKeys.add(context, wallet.wrappedKey(), wallet.address());
      }
      return key;
    } finally {
      Arrays.fill(secret, (byte) 0);
    }
  }

  private static String method(final ObjectNode body) {
    final JsonNode method = body.get("method");
    if (method == null || !method.isTextual()) {
      throw new InvalidRequestException("method is required and must be a string.");
    }
    return method.asText();
  }

  private static List<String> policies(final ObjectNode body, final VerifiedRecords records, final String chainType) {
    final List<String> ids = Fields.stringList(body, "policy_ids", MAX_POLICIES);
    ids.forEach(id -> records.find(POLICY_KIND, id)
        .orElseThrow(() -> new InvalidRequestException("policy_ids " + id + " is not a policy of this app.")));
    ids.forEach(id -> records.policy(id).filter(p -> !p.chainType().equals(chainType)).ifPresent(p -> {
      throw new InvalidRequestException("policy_ids " + id + " is a " + p.chainType() + " policy; this is a "
          + chainType + " wallet.");
    }));
    return ids;
  }

  private static List<WalletRecord.Signer> signers(final ObjectNode body, final VerifiedRecords records) {
    final JsonNode v = body.get("additional_signers");
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray() || v.size() > MAX_SIGNERS) {
      throw new InvalidRequestException("additional_signers must be an array of at most " + MAX_SIGNERS + " signers.");
    }
    final List<WalletRecord.Signer> out = new ArrayList<>();
    for (final JsonNode item : v) {
      if (!item.isObject()) {
        throw new InvalidRequestException("additional_signers items must be objects {signer_id, override_policy_ids}.");
      }
      Fields.allowOnly((ObjectNode) item, Set.of("signer_id", "override_policy_ids"));
      final String signerId = Fields.requiredText((ObjectNode) item, "signer_id");
      records.requireQuorum(signerId, "additional_signers.signer_id");
      if (out.stream().anyMatch(s -> s.signerId().equals(signerId))) {
        throw new InvalidRequestException("additional_signers lists " + signerId + " more than once.");
      }
      final List<String> overrides = Fields.stringList(item, "override_policy_ids", MAX_POLICIES);
      overrides.forEach(id -> records.find(POLICY_KIND, id).orElseThrow(() ->
          new InvalidRequestException("additional_signers.override_policy_ids " + id + " is not a policy of this app.")));
      out.add(new WalletRecord.Signer(signerId, overrides));
    }
    return List.copyOf(out);
  }
}
