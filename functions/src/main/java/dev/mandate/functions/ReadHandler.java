package dev.mandate.functions;

import dev.mandate.Mandate;

/**
 * Every {@code GET} route but {@code /v1/transactions/{id}} ({@link Mandate#readApi()}). Its role can
 * only read the tables and has no KMS permission: a read never seals, unwraps or writes.
 */
public final class ReadHandler extends HttpApiHandler {
  public ReadHandler() {
    super(Mandate.instance().readApi());
  }
}
