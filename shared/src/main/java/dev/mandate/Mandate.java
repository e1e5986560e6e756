package dev.mandate;

import dev.mandate.api.Api;
import dev.mandate.api.Idempotency;
import dev.mandate.api.Route;
import dev.mandate.app.AppService;
import dev.mandate.enclave.Enclave;
import dev.mandate.enclave.keys.KeyWrapper;
import dev.mandate.enclave.keys.KeyWrappers;
import dev.mandate.enclave.protocol.EnclaveTransport;
import dev.mandate.policy.PolicyService;
import dev.mandate.chain.Chains;
import dev.mandate.quorum.KeyQuorumService;
import dev.mandate.recurring.InProcessRunQueue;
import dev.mandate.recurring.RecurringActionService;
import dev.mandate.recurring.RecurringRunner;
import dev.mandate.recurring.RecurringWorker;
import dev.mandate.recurring.RunQueue;
import dev.mandate.recurring.SqsRunQueue;
import dev.mandate.recurring.WorkerHooks;
import dev.mandate.transaction.TransactionService;
import dev.mandate.session.SessionService;
import dev.mandate.user.UserService;
import dev.mandate.signing.EnclaveClient;
import dev.mandate.signing.EnclaveGateway;
import dev.mandate.signing.PublicUrl;
import dev.mandate.store.DynamoStore;
import dev.mandate.store.IdempotencyStore;
import dev.mandate.store.Store;
import dev.mandate.wallet.WalletService;
import java.time.Clock;
import java.util.List;

/**
 * The composition root: builds every component once per process (one Lambda execution environment)
 * from configuration, with no DI framework. Handlers ask for {@link #instance()}; tests and
 * benchmarks build their own with {@link #create}.
 *
 * <p>Nothing here creates keys, nonces or decrypted material: building it is safe before a SnapStart
 * snapshot.
 */
public final class Mandate {
  private static volatile Mandate instance;

  private final AppService apps;
  private final WalletService wallets;
  private final TransactionService transactions;
  private final KeyQuorumService quorums;
  private final PolicyService policies;
  private final UserService users;
  private final SessionService sessions;
  private final RecurringActionService recurring;
  private final Store store;
  private final EnclaveGateway gateway;
  private final Clock clock;
  private final RecurringWorker recurringWorker;
  private RecurringRunner recurringRunner;

  private Mandate(final Store store, final IdempotencyStore idempotencyStore, final EnclaveTransport enclave,
      final PublicUrl publicUrl, final Chains chains, final Clock clock) {
    final EnclaveGateway gateway = new EnclaveGateway(store, new EnclaveClient(enclave), publicUrl);
    final Idempotency idempotency = new Idempotency(idempotencyStore, clock, gateway::signatureCandidates);
    this.apps = new AppService(store, gateway, clock);
    this.transactions = new TransactionService(store, gateway, chains, clock);
    this.wallets = new WalletService(store, gateway, idempotency, transactions);
    this.quorums = new KeyQuorumService(store, gateway);
    this.policies = new PolicyService(store, gateway, idempotency);
    this.users = new UserService(store, gateway);
    this.sessions = new SessionService(store, gateway, dev.mandate.enclave.jwt.JwtVerifier.create());
    this.recurring = new RecurringActionService(store, gateway);
    this.store = store;
    this.gateway = gateway;
    this.clock = clock;
    this.recurringWorker = recurringWorker(WorkerHooks.NONE, runLease());
  }

  /** {@code MANDATE_RUN_QUEUE_URL} set: SQS (the worker function consumes it); else workers in this process. */
  private static RunQueue runQueue(final RecurringWorker worker) {
    return dev.mandate.config.Settings.get(SqsRunQueue.QUEUE_URL_SETTING)
        .<RunQueue>map(url -> new SqsRunQueue(software.amazon.awssdk.services.sqs.SqsClient.builder()
            .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder()).build(), url))
        .orElseGet(() -> new InProcessRunQueue(worker::process,
            dev.mandate.config.Settings.getInt(RUN_WORKERS_SETTING, DEFAULT_RUN_WORKERS), runLease(), MAX_DELIVERIES));
  }

  private static java.time.Duration runLease() {
    return java.time.Duration.ofSeconds(dev.mandate.config.Settings.getInt(RUN_LEASE_SETTING,
        (int) RecurringWorker.DEFAULT_LEASE.toSeconds()));
  }

  /** Threads of the in-process run queue. */
  public static final String RUN_WORKERS_SETTING = "MANDATE_RUN_WORKERS";
  /** Seconds a worker holds a claimed run before another may take it over. */
  public static final String RUN_LEASE_SETTING = "MANDATE_RUN_LEASE_SECONDS";
  private static final int DEFAULT_RUN_WORKERS = 8;
  /** As the template's maxReceiveCount: then dead-lettered. */
  private static final int MAX_DELIVERIES = 20;

  /** The process-wide instance, configured from the environment on first use. */
  public static Mandate instance() {
    Mandate local = instance;
    if (local == null) {
      synchronized (Mandate.class) {
        local = instance;
        if (local == null) {
          local = fromEnvironment();
          instance = local;
        }
      }
    }
    return local;
  }

  /** Forgets the process-wide instance, so the next {@link #instance()} reads configuration again (tests). */
  public static void reset() {
    synchronized (Mandate.class) {
      instance = null;
    }
  }

  private static Mandate fromEnvironment() {
    final DynamoStore store = DynamoStore.builder().build();
    final KeyWrapper wrapper = KeyWrappers.fromEnvironment();
    final Enclave enclave = new Enclave(wrapper);
    return new Mandate(store, store.idempotency(), enclave::handle, PublicUrl.fromEnvironment(), Chains.fromEnvironment(),
        Clock.systemUTC());
  }

  /** A fully wired instance over the given parts. */
  public static Mandate create(final Store store, final IdempotencyStore idempotency, final EnclaveTransport enclave,
      final KeyWrapper keys, final PublicUrl publicUrl, final Clock clock) {
    return new Mandate(store, idempotency, enclave, publicUrl, new Chains(java.util.Map.of()), clock);
  }

  public AppService apps() {
    return apps;
  }

  public WalletService wallets() {
    return wallets;
  }

  /** {@code POST /v1/wallets}, {@code GET /v1/wallets[/{id}]}. */
  public Api walletsApi() {
    return new Api(apps, wallets.routes());
  }

  /** {@code PATCH /v1/wallets/{id}}. */
  public Api updateWalletApi() {
    return new Api(apps, wallets.updateRoutes());
  }

  /** {@code /v1/recurring_actions…}. */
  public Api recurringApi() {
    return new Api(apps, recurring.routes());
  }

  /** The scheduler tick: due runs to the run queue. */
  public synchronized RecurringRunner recurringRunner() {
    // Made on first use: only the scheduled function needs a queue client (or worker threads).
    if (recurringRunner == null) {
      recurringRunner = new RecurringRunner(store, runQueue(recurringWorker), clock);
    }
    return recurringRunner;
  }

  /** The worker the run queue (SQS's worker function, or the in-process pool) delivers to. */
  public RecurringWorker recurringWorker() {
    return recurringWorker;
  }

  /** A worker with crash points and its own lease (tests). */
  public RecurringWorker recurringWorker(final WorkerHooks hooks, final java.time.Duration lease) {
    return new RecurringWorker(store, gateway, new Api(apps, wallets.signingRoutes()), hooks, clock, lease);
  }

  /** A tick that sends to {@code queue} (tests, benchmarks). */
  public RecurringRunner recurringRunner(final RunQueue queue) {
    return new RecurringRunner(store, queue, clock);
  }

  /** {@code GET /v1/transactions/{id}}. */
  public Api transactionsApi() {
    return new Api(apps, transactions.routes());
  }

  /** {@code /v1/key_quorums[/{id}]}. */
  public Api keyQuorumsApi() {
    return new Api(apps, quorums.routes());
  }

  /** {@code /v1/policies…} and {@code /v1/condition_sets…}. */
  public Api policiesApi() {
    return new Api(apps, policies.routes());
  }

  /** {@code POST /v1/users}, {@code GET /v1/users/{id}}. */
  public Api usersApi() {
    return new Api(apps, users.routes());
  }

  /** {@code /v1/wallets/authenticate}, {@code /v1/user_signers/authenticate}, {@code /v1/signer/authenticate}, {@code /v1/jwt_settings}. */
  public Api authenticateApi() {
    return new Api(apps, sessions.routes());
  }

  public SessionService sessions() {
    return sessions;
  }

  public UserService users() {
    return users;
  }

  /**
   * Every {@code GET} route but a transaction's status (which refreshes the record from the chain):
   * wallets, key quorums, policies, rules, condition sets, aggregations, users, JWT settings and
   * recurring actions. Served by a function whose role can only read the tables; none of these
   * routes writes, seals or unwraps anything.
   */
  public Api readApi() {
    final List<Route> reads = java.util.stream.Stream.of(wallets.routes(), quorums.routes(), policies.routes(),
            users.routes(), sessions.routes(), recurring.routes())
        .flatMap(List::stream)
        .filter(route -> route.method().equals("GET"))
        .toList();
    return new Api(apps, reads);
  }

  /** {@code POST /v1/wallets/{id}/rpc}, {@code /rpc/dry_run} and {@code /raw_sign}. */
  public Api signApi() {
    return new Api(apps, wallets.signingRoutes());
  }
}
