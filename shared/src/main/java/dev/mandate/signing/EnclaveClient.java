package dev.mandate.signing;

import dev.mandate.api.ApiException;
import dev.mandate.api.Json;
import dev.mandate.api.Log;
import dev.mandate.enclave.protocol.CreateSealKey;
import dev.mandate.enclave.protocol.EnclaveResponse;
import dev.mandate.enclave.protocol.EnclaveTransport;
import dev.mandate.enclave.protocol.Execute;
import dev.mandate.enclave.protocol.Executed;
import dev.mandate.enclave.protocol.Refused;
import dev.mandate.enclave.protocol.SealKeyCreated;

/**
 * The host's typed view of the enclave: sends protocol messages over a transport and turns a
 * {@link Refused} into the API error the caller should see.
 */
public final class EnclaveClient {
  private final EnclaveTransport transport;

  public EnclaveClient(final EnclaveTransport transport) {
    this.transport = transport;
  }

  public String createSealKey() {
    return expect(transport.call(new CreateSealKey()), SealKeyCreated.class).wrappedSealKey();
  }

  public Executed execute(final Execute request) {
    return expect(transport.call(request), Executed.class);
  }

  private static <T extends EnclaveResponse> T expect(final EnclaveResponse response, final Class<T> type) {
    if (type.isInstance(response)) {
      return type.cast(response);
    }
    if (response instanceof Refused refused) {
      throw toApiException(refused);
    }
    throw new IllegalStateException("unexpected enclave response " + response.getClass().getSimpleName());
  }

  private static ApiException toApiException(final Refused refused) {
    return switch (refused.reason()) {
      case INVALID_REQUEST -> new ApiException(400, refused.code(), refused.message());
      case UNAUTHORIZED -> new ApiException(401, refused.code(), refused.message());
      case FORBIDDEN -> new ApiException(403, refused.code(), refused.message());
      case NOT_FOUND -> new ApiException(404, refused.code(), refused.message());
      case POLICY_VIOLATION -> new ApiException(400, refused.code(), refused.message())
          .withDetail("policy_decision", refused.details().map(Json::parseStored).orElse(null));
      case INTEGRITY -> {
        // A record changed behind the enclave's back: the caller gets a generic error, operators an alarm.
        Log.error("enclave_integrity_refusal", "code", refused.code());
        yield new ApiException(500, refused.code(), refused.message());
      }
      case UNAVAILABLE -> ApiException.unavailable(refused.code(), refused.message());
    };
  }
}
