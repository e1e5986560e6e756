package dev.mandate.enclave.execution;

import dev.mandate.enclave.InvalidRequestException;
import dev.mandate.enclave.keys.KeyWrapper;
import dev.mandate.enclave.protocol.Execute;
import dev.mandate.enclave.protocol.Executed;
import dev.mandate.enclave.records.RecordSealer;
import java.time.Clock;

/**
 * Carries out an {@link Execute}: the action is read from the caller's own method and path (the ones
 * the authorization signatures cover), never from anything the host adds.
 */
public final class Executor {
  private final SealKeys sealKeys;
  private final WalletActions wallets;
  private final QuorumActions quorums = new QuorumActions();
  private final PolicyActions policies = new PolicyActions();
  private final ConditionSetActions conditionSets = new ConditionSetActions();
  private final UserActions userActions = new UserActions();
  private final AggregationActions aggregations = new AggregationActions();
  private final SessionActions sessions;
  private final AppActions apps;
  private final Clock clock;

  public Executor(final KeyWrapper keys, final Clock clock) {
    this.sealKeys = new SealKeys(keys);
    this.wallets = new WalletActions(keys);
    this.sessions = new SessionActions(wallets, clock);
    this.apps = new AppActions(clock);
    this.clock = clock;
  }

  /** A new wrapped sealing master key. */
  public String createSealKey() {
    return sealKeys.create();
  }

  public Executed execute(final Execute m) {
    final RecordSealer sealer = sealKeys.sealer(m.wrappedSealKey());
    final Request request = new Request(m.appId(), m.http(), clock.instant());
    Authorizer.checkExpiry(request);
    final VerifiedRecords records = new VerifiedRecords(m.appId(), m.records(), sealer);
    AppActions.checkPresentedSecret(m.appId(), m.hostInput(Execute.APP_SECRET_SHA256), records);
    final SessionKeys users = new SessionKeys(records, request.now);
    final Executed executed = route(m, request, records, sealer, users);
    // A dry run decides but does not act, so it does not use up a one-time key either.
    final boolean dryRun = m.dryRun() || request.path().endsWith("/dry_run");
    return dryRun ? executed : users.consume(executed, m.appId(), sealer);
  }

  private Executed route(final Execute m, final Request request, final VerifiedRecords records,
      final RecordSealer sealer, final SessionKeys users) {
    final String method = request.http.method();
    final String[] s = request.path().substring(1).split("/", -1);
    // s[0] is "v1"; every action lives under /v1/wallets or /v1/key_quorums.
    if (method.equals("POST") && (request.path().equals("/v1/wallets/authenticate")
        || request.path().equals("/v1/user_signers/authenticate"))) {
      return sessions.authenticateHpke(request, records, sealer, FetchedJwks.of(m));
    }
    if (method.equals("POST") && request.path().equals("/v1/signer/authenticate")) {
      return sessions.authenticateSigner(request, records, sealer, bearerOrBody(request), FetchedJwks.of(m));
    }
    if (method.equals("PUT") && s.length == 3 && s[0].equals("v1") && s[1].equals("apps")) {
      return apps.put(request, records, sealer, s[2]);
    }
    if (method.equals("PUT") && request.path().equals("/v1/jwt_settings")) {
      return sessions.configure(request, records, sealer);
    }
    if (s.length >= 2 && s[0].equals("v1") && s[1].equals("wallets")) {
      if (s.length == 2 && method.equals("POST")) {
        return wallets.create(request, records, sealer);
      }
      if (s.length == 3 && method.equals("PATCH")) {
        return wallets.update(request, records, sealer, s[2], users);
      }
      if (s.length == 4 && method.equals("POST") && s[3].equals("rpc")) {
        return wallets.sign(request, records, s[2], false, m.dryRun(), users, m.hostInputs());
      }
      if (s.length == 5 && method.equals("POST") && s[3].equals("rpc") && s[4].equals("dry_run")) {
        return wallets.sign(request, records, s[2], false, true, users, m.hostInputs());
      }
      if (s.length == 4 && method.equals("POST") && s[3].equals("raw_sign")) {
        return wallets.sign(request, records, s[2], true, m.dryRun(), users, m.hostInputs());
      }
    }
    if (s.length >= 2 && s[0].equals("v1") && s[1].equals("key_quorums")) {
      if (s.length == 2 && method.equals("POST")) {
        return quorums.create(request, records, sealer);
      }
      if (s.length == 3 && method.equals("PATCH")) {
        return quorums.update(request, records, sealer, s[2], users);
      }
      if (s.length == 3 && method.equals("DELETE")) {
        return quorums.delete(request, records, s[2], users);
      }
    }
    if (s.length >= 2 && s[0].equals("v1") && s[1].equals("policies")) {
      if (s.length == 2 && method.equals("POST")) {
        return policies.create(request, records, sealer);
      }
      if (s.length == 3 && method.equals("PATCH")) {
        return policies.update(request, records, sealer, s[2], users);
      }
      if (s.length == 3 && method.equals("DELETE")) {
        return policies.delete(request, records, s[2], users);
      }
      if (s.length == 4 && s[3].equals("rules") && method.equals("POST")) {
        return policies.addRule(request, records, sealer, s[2], users);
      }
      if (s.length == 5 && s[3].equals("rules") && method.equals("PATCH")) {
        return policies.updateRule(request, records, sealer, s[2], s[4], users);
      }
      if (s.length == 5 && s[3].equals("rules") && method.equals("DELETE")) {
        return policies.deleteRule(request, records, sealer, s[2], s[4], users);
      }
    }
    if (s.length >= 2 && s[0].equals("v1") && s[1].equals("condition_sets")) {
      if (s.length == 2 && method.equals("POST")) {
        return conditionSets.create(request, records, sealer);
      }
      if (s.length == 3 && method.equals("PATCH")) {
        return conditionSets.update(request, records, sealer, s[2], users);
      }
      if (s.length == 3 && method.equals("DELETE")) {
        return conditionSets.delete(request, records, s[2], users);
      }
      if (s.length == 4 && s[3].equals("condition_set_items") && (method.equals("POST") || method.equals("PUT"))) {
        return conditionSets.putItems(request, records, sealer, s[2], method.equals("PUT"), users);
      }
      if (s.length == 5 && s[3].equals("condition_set_items") && method.equals("DELETE")) {
        return conditionSets.deleteItem(request, records, sealer, s[2], s[4], users);
      }
    }
    if (s.length >= 2 && s[0].equals("v1") && s[1].equals("aggregations")) {
      if (s.length == 2 && method.equals("POST")) {
        return aggregations.create(request, records, sealer);
      }
      if (s.length == 3 && method.equals("DELETE")) {
        return aggregations.delete(request, records, s[2], users);
      }
    }
    if (s.length == 2 && s[0].equals("v1") && s[1].equals("users") && method.equals("POST")) {
      return userActions.create(request, sealer);
    }
    throw new InvalidRequestException("The enclave has no action for " + method + " " + request.path() + ".");
  }

  /**
   * The user JWT of {@code /v1/signer/authenticate}: {@code user_jwt} in the body. (A Bearer token in
   * the Authorization header is moved there by the host, which owns the headers.)
   */
  private static String bearerOrBody(final Request request) {
    return Fields.requiredText(request.body(), "user_jwt");
  }
}
