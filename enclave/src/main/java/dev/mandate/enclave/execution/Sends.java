package dev.mandate.enclave.execution;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.enclave.InvalidRequestException;
import dev.mandate.enclave.ethereum.SendRequests;
import dev.mandate.enclave.ethereum.SigningRequest;
import dev.mandate.enclave.policy.PolicyInput;
import dev.mandate.enclave.protocol.Execute;
import dev.mandate.enclave.protocol.Executed;
import dev.mandate.enclave.records.Docs;
import dev.mandate.enclave.records.WalletRecord;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code eth_sendTransaction}. The host, which can reach the chain, fills in what the caller left out
 * — nonce, gas limit, fees — and the enclave checks that every field the caller set is unchanged and
 * the chain is the one {@code caip2} names; the policy then judges that filled, parsed transaction
 * (the object that is signed, so fee conditions see the fees), and the enclave signs it. The host
 * then broadcasts. A dry run judges the caller's own fields (what is not filled reads as unknown).
 */
final class Sends {
  private Sends() {}

  static Executed send(final Request request, final VerifiedRecords records, final WalletRecord wallet,
      final List<Party> parties, final boolean dryRun, final Map<String, String> hostInputs,
      final WalletActions wallets) {
    final ObjectNode body = request.body();
    final long chainId = SendRequests.validate(body);
    final String caip2 = body.get("caip2").asText();
    final JsonNode asked = body.path("params").path("transaction");
    if (dryRun) {
      // Nothing is signed: judge the caller's own fields; what the host would fill reads as unknown.
      final PolicyInput unfilled = PolicyInput.unfilled("eth_sendTransaction", SigningRequest.parseUnfilledTransaction(body));
      final ObjectNode decision = PolicyGate.check(request, records, wallet, parties, unfilled, true, hostInputs);
      final ObjectNode result = Docs.object().put("method", "eth_sendTransaction");
      result.set("policy_decision", decision);
      return new Executed(Optional.of(result.toString()), Optional.empty(), List.of(), List.of(), List.of());
    }
    final ObjectNode filled = filled(hostInputs);
    checkUnchanged((ObjectNode) asked, filled, chainId);
    final ObjectNode signBody = Docs.object().put("method", "eth_signTransaction");
    signBody.putObject("params").set("transaction", filled);
    final SigningRequest signing = SigningRequest.parseRpc("eth_signTransaction", signBody);
    // The policy judges the filled transaction that is signed (fees and gas included), after checking
    // that every field the caller set is in it unchanged.
    PolicyGate.check(request, records, wallet, parties, PolicyInput.of("eth_sendTransaction", signing), false, hostInputs);
    final ObjectNode data = wallets.signWith(request.appId, wallet, signing);
    final ObjectNode result = Docs.object().put("method", "eth_sendTransaction");
    result.putObject("data").put("signed_transaction", data.path("signed_transaction").asText()).put("caip2", caip2);
    return new Executed(Optional.of(result.toString()), Optional.empty(), List.of(), List.of(), List.of());
  }

  private static ObjectNode filled(final Map<String, String> hostInputs) {
    final String text = Optional.ofNullable(hostInputs.get(Execute.TRANSACTION))
        .orElseThrow(() -> new IllegalStateException("the host did not prepare the transaction"));
    final ObjectNode filled = Docs.parse(text);
    for (final String[] required : List.of(new String[] {"nonce", "nonce"}, new String[] {"gas_limit", "gasLimit"},
        new String[] {"chain_id", "chainId"})) {
      if (!filled.hasNonNull(required[0]) && !filled.hasNonNull(required[1])) {
        throw new IllegalStateException("the prepared transaction lacks " + required[0]);
      }
    }
    return filled;
  }

  /**
   * Every field the caller set (a {@code null} is "fill it in") must be in the prepared transaction with
   * the same value. The caller's fields were validated first ({@link SendRequests}), so a difference
   * here is the host's doing: an integrity refusal.
   */
  static void checkUnchanged(final ObjectNode asked, final ObjectNode filled, final long chainId) {
    asked.fieldNames().forEachRemaining(name -> {
      if (!asked.get(name).isNull() && !same(name, asked.get(name), filled.get(name))) {
        throw new dev.mandate.enclave.IntegrityException("prepared transaction changed " + name);
      }
    });
    final JsonNode chain = filled.hasNonNull("chain_id") ? filled.get("chain_id") : filled.get("chainId");
    if (!quantityEquals(chain, JsonNodeFactory.instance.numberNode(BigInteger.valueOf(chainId)))) {
      throw new dev.mandate.enclave.IntegrityException("prepared transaction is for another chain");
    }
  }

  private static boolean same(final String name, final JsonNode a, final JsonNode b) {
    if (b == null) {
      return false;
    }
    return switch (name) {
      case "to", "from", "data" -> a.asText().toLowerCase(Locale.ROOT).equals(b.asText().toLowerCase(Locale.ROOT));
      case "access_list", "authorization_list", "type" -> a.equals(b) || quantityEquals(a, b);
      default -> quantityEquals(a, b);
    };
  }

  private static boolean quantityEquals(final JsonNode a, final JsonNode b) {
    try {
      return quantity(a).equals(quantity(b));
    } catch (RuntimeException e) {
      return false;
    }
  }

  private static BigInteger quantity(final JsonNode n) {
    if (n == null || n.isNull()) {
      throw new IllegalArgumentException("no quantity");
    }
    if (n.isNumber()) {
      return n.bigIntegerValue();
    }
    final String text = n.asText();
    return text.startsWith("0x") || text.startsWith("0X")
        ? (text.length() == 2 ? BigInteger.ZERO : new BigInteger(text.substring(2), 16))
        : new BigInteger(text);
  }
}
