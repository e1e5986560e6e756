package dev.mandate.enclave.protocol;

import java.util.List;
import java.util.Optional;

/**
 * What the enclave did. The host persists {@code created} (conditional on absence), {@code updated}
 * (conditional on the version it read) and {@code deleted}, all in one transaction, and answers with
 * {@code result} or with a view of the primary record.
 *
 * @param result for signing: the Privy response object {@code {"method":…,"data":…}} as JSON text
 * @param primary the record the request was about (e.g. the new or updated wallet), if any
 */
public record Executed(
    Optional<String> result,
    Optional<SealedRecord> primary,
    List<SealedRecord> created,
    List<SealedRecord> updated,
    List<SealedRecord> deleted)
    implements EnclaveResponse {

  public Executed {
    created = List.copyOf(created);
    updated = List.copyOf(updated);
    deleted = List.copyOf(deleted);
  }
}
