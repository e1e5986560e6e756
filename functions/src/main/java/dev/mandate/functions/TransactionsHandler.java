package dev.mandate.functions;

import dev.mandate.Mandate;

/** {@code GET /v1/transactions/{transaction_id}}: status from the chain's receipts. */
public final class TransactionsHandler extends HttpApiHandler {
  public TransactionsHandler() {
    super(Mandate.instance().transactionsApi());
  }
}
