package dev.mandate.signing;

import dev.mandate.api.ApiException;
import dev.mandate.app.AppService;
import dev.mandate.api.ApiRequest;
import dev.mandate.api.Json;
import dev.mandate.api.Route;
import dev.mandate.enclave.InvalidRequestException;
import dev.mandate.enclave.authorization.AuthorizationPayload;
import dev.mandate.enclave.authorization.P256PublicKey;
import dev.mandate.enclave.authorization.SignatureHeader;
import dev.mandate.enclave.authorization.SignerCandidates;
import dev.mandate.enclave.protocol.Execute;
import dev.mandate.enclave.protocol.Executed;
import dev.mandate.enclave.protocol.HttpEnvelope;
import dev.mandate.enclave.protocol.SealedRecord;
import dev.mandate.enclave.records.SessionKeyRecord;
import dev.mandate.enclave.records.WalletRecord;
import dev.mandate.store.ConcurrentUpdateException;
import dev.mandate.store.Item;
import dev.mandate.store.ItemExistsException;
import dev.mandate.store.ItemNotFoundException;
import dev.mandate.store.Store;
import dev.mandate.store.Update;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Runs one request through the enclave: loads the sealed records it needs, forwards the caller's
 * request verbatim, and persists what the enclave sealed — created, updated and deleted records in one
 * conditional transaction, so concurrent changes never lose each other (the loser gets a 409).
 */
public final class EnclaveGateway {
  public static final String SEAL_ATTR = "seal";
  private static final List<String> SIGNED_HEADERS =
      List.of("privy-app-id", "privy-idempotency-key", "privy-request-expiry");

  private final Store store;
  private final EnclaveClient enclave;
  private final SealKeyProvider sealKeys;
  private final RecordLoader loader;
  private final PublicUrl publicUrl;
  private final Pointers pointers;
  private final References references;

  public EnclaveGateway(final Store store, final EnclaveClient enclave, final PublicUrl publicUrl) {
    this.store = store;
    this.enclave = enclave;
    this.sealKeys = new SealKeyProvider(store, enclave);
    this.loader = new RecordLoader(store);
    this.publicUrl = publicUrl;
    this.pointers = new Pointers(store);
    this.references = new References(store);
  }

  public Executed execute(final Route.Call call, final List<RecordRef> roots, final boolean dryRun) {
    return execute(call, envelope(call.request()), roots, dryRun, loaded -> Map.of());
  }

  /**
   * A caller's request, with host inputs worked out from the loaded records. When the caller
   * authenticated by app secret, the enclave also gets the secret's hash and the app's sealed
   * record, and refuses the request unless they match.
   */
  public Executed execute(final Route.Call call, final HttpEnvelope http, final List<RecordRef> roots,
      final boolean dryRun, final java.util.function.Function<Map<RecordRef, Item>, Map<String, String>> hostInputs) {
    return execute(call, http, RecordLoader.Records.NONE, roots, dryRun, hostInputs);
  }

  /**
   * The records {@code roots} reach for this request ({@link RecordLoader}: usually one round trip),
   * for a caller that needs one of them (the wallet) before it runs the request: hand the result to
   * {@link #execute(Route.Call, HttpEnvelope, RecordLoader.Records, List, boolean, java.util.function.Function)}
   * and nothing is read twice.
   */
  public RecordLoader.Records load(final Route.Call call, final List<RecordRef> roots) {
    return loader.load(call.appId(), withApp(call, roots), () -> signerFingerprints(envelope(call.request())),
        RecordLoader.Records.NONE);
  }

  /**
   * {@code roots}, plus the app's sealed record when the caller authenticated by app secret: the
   * enclave holds the secret to the record as it is now (read in the same batch as the wallet, so a
   * rotated secret stops working at once without a round trip of its own).
   */
  private static List<RecordRef> withApp(final Route.Call call, final List<RecordRef> roots) {
    if (!AppService.presentsBasicCredentials(call.request())) {
      return roots;
    }
    final List<RecordRef> all = new ArrayList<>(roots);
    all.add(new RecordRef(AppService.KIND, call.appId()));
    return List.copyOf(all);
  }

  /** As above, with the records this request already {@link #load loaded}: only what they do not cover is read. */
  public Executed execute(final Route.Call call, final HttpEnvelope http, final RecordLoader.Records known,
      final List<RecordRef> roots, final boolean dryRun,
      final java.util.function.Function<Map<RecordRef, Item>, Map<String, String>> hostInputs) {
    return execute(call, http, known, roots, dryRun, hostInputs, executed -> List.of());
  }

  /**
   * A caller's request whose host items belong in the enclave's transaction (e.g. a recurring
   * action's due-time entry), checked against the app secret like every other caller's request.
   */
  public Executed execute(final Route.Call call, final HttpEnvelope http, final List<RecordRef> roots,
      final boolean dryRun, final java.util.function.Function<Map<RecordRef, Item>, Map<String, String>> hostInputs,
      final java.util.function.Function<Executed, List<Update>> hostWrites) {
    return execute(call, http, RecordLoader.Records.NONE, roots, dryRun, hostInputs, hostWrites);
  }

  private Executed execute(final Route.Call call, final HttpEnvelope http, final RecordLoader.Records known,
      final List<RecordRef> roots, final boolean dryRun,
      final java.util.function.Function<Map<RecordRef, Item>, Map<String, String>> hostInputs,
      final java.util.function.Function<Executed, List<Update>> hostWrites) {
    final Optional<String> secret = AppService.presentedSecretSha256(call.request());
    if (secret.isEmpty()) {
      return run(call.appId(), http, known, roots, dryRun, hostInputs, hostWrites);
    }
    return run(call.appId(), http, known, withApp(call, roots), dryRun, loaded -> {
      final Map<String, String> inputs = new HashMap<>(hostInputs.apply(loaded));
      inputs.put(Execute.APP_SECRET_SHA256, secret.get());
      return inputs;
    }, hostWrites);
  }

  /** For requests the host reshapes before forwarding (a Bearer JWT moved into the body) or makes itself. */
  public Executed execute(final String appId, final HttpEnvelope http, final List<RecordRef> roots,
      final boolean dryRun, final Map<String, String> hostInputs) {
    return execute(appId, http, roots, dryRun, loaded -> hostInputs);
  }

  /** As above, with host inputs worked out from the records loaded for the request (e.g. spend sums). */
  public Executed execute(final String appId, final HttpEnvelope http, final List<RecordRef> roots,
      final boolean dryRun, final java.util.function.Function<Map<RecordRef, Item>, Map<String, String>> hostInputs) {
    return execute(appId, http, Map.of(), roots, dryRun, hostInputs);
  }

  /**
   * As above, with records the host already read for this request handed over as they are (not
   * read again): what the host acted on is exactly what the enclave checks.
   */
  public Executed execute(final String appId, final HttpEnvelope http, final Map<RecordRef, Item> alreadyRead,
      final List<RecordRef> roots, final boolean dryRun,
      final java.util.function.Function<Map<RecordRef, Item>, Map<String, String>> hostInputs) {
    return run(appId, http, RecordLoader.Records.of(alreadyRead), roots, dryRun, hostInputs, executed -> List.of());
  }

  /**
   * As above, and writes the host's own items that belong with the enclave's (e.g. the due-time index
   * entry of a recurring action) in the same transaction: all of them, or none.
   */
  public Executed execute(final String appId, final HttpEnvelope http, final List<RecordRef> roots,
      final boolean dryRun, final java.util.function.Function<Map<RecordRef, Item>, Map<String, String>> hostInputs,
      final java.util.function.Function<Executed, List<Update>> hostWrites) {
    return run(appId, http, RecordLoader.Records.NONE, roots, dryRun, hostInputs, hostWrites);
  }

  private Executed run(final String appId, final HttpEnvelope http, final RecordLoader.Records known,
      final List<RecordRef> roots, final boolean dryRun,
      final java.util.function.Function<Map<RecordRef, Item>, Map<String, String>> hostInputs,
      final java.util.function.Function<Executed, List<Update>> hostWrites) {
    final Map<RecordRef, Item> loaded = new java.util.LinkedHashMap<>(known.items());
    loader.load(appId, roots, () -> signerFingerprints(http), known).items().forEach(loaded::putIfAbsent);
    final List<SealedRecord> records = loaded.values().stream().map(EnclaveGateway::sealed).toList();
    final Executed executed = enclave.execute(
        new Execute(appId, sealKeys.wrappedSealKey(), http, records, dryRun, hostInputs.apply(loaded)));
    final List<Update> writes = new ArrayList<>(hostWrites.apply(executed));
    if (!dryRun) {
      SignedChanges.claim(appId, http, executed).ifPresent(writes::add);
    }
    persist(appId, executed, loaded, writes);
    return executed;
  }

  /**
   * Fingerprints of the keys that could have made the request's authorization signatures (recovered
   * from the signatures over the signed payload): the session keys worth loading. A malformed header
   * or body yields none; the enclave reports it.
   */
  static Set<String> signerFingerprints(final HttpEnvelope http) {
    final Set<String> all = new java.util.LinkedHashSet<>();
    candidates(http).forEach(all::addAll);
    return all;
  }

  /**
   * For each authorization signature of {@code request}, the fingerprints of the keys that could have
   * made it over the request's signed payload (empty when unsigned or malformed). Two signatures over
   * one payload by the same key share that key's fingerprint; no one else can produce one that does.
   */
  public List<Set<String>> signatureCandidates(final ApiRequest request) {
    return candidates(envelope(request));
  }

  private static List<Set<String>> candidates(final HttpEnvelope http) {
    try {
      final Optional<SignatureHeader> header = http.signatures().flatMap(SignatureHeader::parse);
      if (header.isEmpty()) {
        return List.of();
      }
      final AuthorizationPayload payload = AuthorizationPayload.of(http.method(),
          AuthorizationPayload.url(http.baseUrl(), http.path()), http.body(), http.privyHeaders());
      return SignerCandidates.perSignature(payload, header.get()).stream()
          .map(keys -> keys.stream().map(P256PublicKey::fingerprint).collect(Collectors.toUnmodifiableSet()))
          .toList();
    } catch (InvalidRequestException e) {
      return List.of();
    }
  }

  public HttpEnvelope envelope(final ApiRequest request) {
    final Map<String, String> privy = new HashMap<>();
    for (final String name : SIGNED_HEADERS) {
      request.header(name).ifPresent(v -> privy.put(name, v));
    }
    return new HttpEnvelope(request.method(), publicUrl.resolve(request), request.path(),
        request.body().orElse(""), privy, request.header("privy-authorization-signature"));
  }

  private void persist(final String appId, final Executed executed, final Map<RecordRef, Item> loaded,
      final List<Update> hostWrites) {
    final List<Update> writes = new ArrayList<>();
    for (final SealedRecord created : executed.created()) {
      writes.add(Update.create(item(appId, created)));
    }
    for (final SealedRecord updated : executed.updated()) {
      writes.add(Update.replace(item(appId, updated), version(loaded, updated)));
    }
    for (final SealedRecord deleted : executed.deleted()) {
      writes.add(Update.delete(appId, deleted.kind(), deleted.id(), version(loaded, deleted)));
    }
    if (!(executed.created().isEmpty() && executed.updated().isEmpty() && executed.deleted().isEmpty())) {
      writes.addAll(pointers.writes(appId, executed, loaded));
      writes.addAll(references.writes(appId, executed, loaded));
    }
    writes.addAll(hostWrites);
    if (writes.isEmpty()) {
      return;
    }
    try {
      store.updateAll(writes);
    } catch (ConcurrentUpdateException | ItemNotFoundException e) {
      throw ApiException.conflict("The resource was changed by another request; read it again and retry.");
    } catch (ItemExistsException e) {
      if (e.kind().equals(SignedChanges.KIND)) {
        throw new ApiException(409, SignedChanges.CODE, "This signed request was already carried out; "
            + "an authorization signature authorizes one change. Sign the change again to repeat it.");
      }
      throw ApiException.conflict(switch (e.kind()) {
        case Pointers.EXTERNAL_ID -> "A wallet with this external_id already exists.";
        case Pointers.CUSTOM_AUTH -> "A user with this custom_auth id already exists.";
        default -> "A record with the same identity already exists.";
      });
    }
  }

  private static long version(final Map<RecordRef, Item> loaded, final SealedRecord record) {
    final Item item = loaded.get(new RecordRef(record.kind(), record.id()));
    if (item == null) {
      throw new IllegalStateException("enclave changed a record the host did not load");
    }
    return item.version();
  }

  /** A stored item for a sealed record; the seal rides along as an attribute. */
  public static Item item(final String appId, final SealedRecord record) {
    final Map<String, String> attrs = new HashMap<>();
    attrs.put(SEAL_ATTR, record.seal());
    if (record.kind().equals(WalletRecord.KIND)) {
      attrs.put("chain_type", Json.parseStored(record.doc()).path("chain_type").asText());
    }
    final Item item = Item.of(appId, record.kind(), record.id(), record.doc()).withAttrs(attrs);
    if (record.kind().equals(SessionKeyRecord.KIND)) {
      // Kept a day past expiry so a late request learns the key expired rather than never existed.
      return item.withExpiresAt(java.time.Instant.ofEpochMilli(SessionKeyRecord.fromDoc(record.doc()).expiresAt())
          .plus(java.time.Duration.ofDays(1)));
    }
    return item;
  }

  public static SealedRecord sealed(final Item item) {
    return new SealedRecord(item.kind(), item.id(), item.doc(), item.attrs().getOrDefault(SEAL_ATTR, ""));
  }

}
