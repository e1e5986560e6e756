/**
 * User session keys ("authenticated signers"): the short-lived P-256 key a user's login JWT is
 * exchanged for.
 *
 * <p>{@link dev.mandate.enclave.session.SessionKey#generate()} creates the key inside the enclave;
 * {@link dev.mandate.enclave.session.HpkeSealer#sealTo} encrypts its base64 PKCS#8 text to the
 * caller's HPKE key for {@code POST /v1/wallets/authenticate}. The private key is never stored:
 * the caller keeps only {@link dev.mandate.enclave.session.SessionKey#publicKeySpkiBase64()}, the
 * expiry and the one-time flag.
 */
package dev.mandate.enclave.session;
