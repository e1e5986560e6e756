package dev.mandate.enclave.protocol;

/**
 * A stored record that grants power (a wallet, key quorum, policy, …), with the enclave's seal over
 * it. The host stores {@code doc} and {@code seal} verbatim and hands both back; the enclave refuses
 * any record whose seal does not match, so a write to the database alone changes nothing.
 *
 * @param kind record kind, e.g. {@code wallet}, {@code key_quorum}
 * @param id the record's id, minted by the enclave
 * @param doc JSON document text
 * @param seal base64url HMAC over (app, kind, id, doc) under the app's sealing key
 */
public record SealedRecord(String kind, String id, String doc, String seal) {}
