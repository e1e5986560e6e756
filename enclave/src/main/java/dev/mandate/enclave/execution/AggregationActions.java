package dev.mandate.enclave.execution;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mandate.enclave.Ids;
import dev.mandate.enclave.RecordMissingException;
import dev.mandate.enclave.policy.Aggregation;
import dev.mandate.enclave.protocol.Executed;
import dev.mandate.enclave.protocol.SealedRecord;
import dev.mandate.enclave.records.Docs;
import dev.mandate.enclave.records.RecordSealer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Aggregations ({@code /v1/aggregations}): rolling-window sums (e.g. of transaction value) that
 * policy conditions cap with {@code reference} / {@code aggregation.<id>}. Sealed like policies.
 */
final class AggregationActions {
  static final String KIND = "aggregation";

  Executed create(final Request request, final VerifiedRecords records, final RecordSealer sealer) {
    final ObjectNode body = request.body().deepCopy();
    final List<SealedRecord> created = new ArrayList<>();
    final Optional<String> owner = Owners.resolve(request, body, records, sealer, created);
    body.remove("owner");
    body.remove("owner_id");
    final Aggregation aggregation = Aggregation.parse(body, Ids.mint(), request.now.toEpochMilli(), owner);
    final SealedRecord sealed = sealer.seal(request.appId, KIND, aggregation.id(), aggregation.toDoc().toString());
    created.add(0, sealed);
    return new Executed(Optional.empty(), Optional.of(sealed), created, List.of(), List.of());
  }

  Executed delete(final Request request, final VerifiedRecords records, final String id, final SessionKeys users) {
    final SealedRecord record = records.find(KIND, id).orElseThrow(() -> new RecordMissingException("Aggregation not found."));
    Authorizer.owner(request, records, Aggregation.fromDoc(Docs.parse(record.doc())).ownerId(), users);
    return new Executed(Optional.of(Docs.object().put("success", true).toString()), Optional.empty(), List.of(),
        List.of(), List.of(record));
  }
}
