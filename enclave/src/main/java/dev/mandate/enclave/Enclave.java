package dev.mandate.enclave;

import dev.mandate.enclave.execution.Executor;
import dev.mandate.enclave.keys.KeyUnwrapException;
import dev.mandate.enclave.keys.KeyWrapper;
import dev.mandate.enclave.protocol.CreateSealKey;
import dev.mandate.enclave.protocol.EnclaveRequest;
import dev.mandate.enclave.protocol.EnclaveResponse;
import dev.mandate.enclave.protocol.Execute;
import dev.mandate.enclave.protocol.MessageCodec;
import dev.mandate.enclave.protocol.Refused;
import dev.mandate.enclave.protocol.SealKeyCreated;
import dev.mandate.config.Unavailable;
import java.time.Clock;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * The enclave: the only code that ever holds a plaintext wallet key, verifies authorization
 * signatures, evaluates policies and seals the records that grant power.
 *
 * <p>Its only I/O is the key wrapper (KMS). Every failure leaves as a {@link Refused} message, never as
 * a stack trace that could carry secrets.
 */
public final class Enclave {
  private final Executor executor;

  public Enclave(final KeyWrapper keys) {
    this(keys, Clock.systemUTC());
  }

  public Enclave(final KeyWrapper keys, final Clock clock) {
    this.executor = new Executor(keys, clock);
  }

  /** Handles one message. Never throws for anything a caller sent. */
  public EnclaveResponse handle(final EnclaveRequest request) {
    try {
      return switch (request) {
        case CreateSealKey m -> new SealKeyCreated(executor.createSealKey());
        case Execute m -> executor.execute(m);
      };
    } catch (InvalidRequestException e) {
      return new Refused(Refused.Reason.INVALID_REQUEST, e.code(), e.getMessage());
    } catch (AuthorizationException e) {
      return new Refused(Refused.Reason.UNAUTHORIZED, e.code(), e.getMessage());
    } catch (PolicyViolationException e) {
      return new Refused(Refused.Reason.POLICY_VIOLATION, "policy_violation", e.getMessage(),
          java.util.Optional.of(e.decision()));
    } catch (RecordMissingException e) {
      return new Refused(Refused.Reason.NOT_FOUND, "not_found", e.getMessage());
    } catch (IntegrityException | KeyUnwrapException e) {
      // Deliberately vague: the caller learns that stored state failed its check, not how.
      return new Refused(Refused.Reason.INTEGRITY, "integrity_check_failed",
          "A stored record failed its integrity check; the request was refused.");
    } catch (SdkException e) {
      if (!Unavailable.isDependencyOutage(e)) {
        throw e;
      }
      return new Refused(Refused.Reason.UNAVAILABLE, "service_unavailable",
          "A service the request needs did not answer in time; nothing was done, retry later.");
    }
  }

  /** The byte-level entry point a vsock (or any serializing) transport calls. */
  public byte[] handle(final byte[] wireRequest) {
    return MessageCodec.encode(handle(MessageCodec.decodeRequest(wireRequest)));
  }
}
