/**
 * Privy-compatible authorization signatures: who signed a request, and is that enough.
 *
 * <p>Per request: {@link dev.mandate.enclave.authorization.SignatureHeader#parse} the {@code
 * privy-authorization-signature} header (empty means Privy's {@code
 * missing_or_empty_authorization_header}), rebuild the signed bytes with {@link
 * dev.mandate.enclave.authorization.AuthorizationPayload#of}, then ask a {@link
 * dev.mandate.enclave.authorization.QuorumCheck} about each {@link
 * dev.mandate.enclave.authorization.KeyQuorum} that may authorize (the owner, then additional
 * signers). The checks are pure: no I/O, no clock; session-key lookup and expiry belong to the
 * caller's {@link dev.mandate.enclave.authorization.UserSessionKeys.Resolver}.
 */
package dev.mandate.enclave.authorization;
