package dev.mandate.functions;

import dev.mandate.Mandate;

/** {@code POST /v1/key_quorums}, {@code GET|PATCH|DELETE /v1/key_quorums/{key_quorum_id}}. */
public final class KeyQuorumsHandler extends HttpApiHandler {
  public KeyQuorumsHandler() {
    super(Mandate.instance().keyQuorumsApi());
  }
}
