/**
 * Verification of users' login JWTs from an app's own auth provider: {@link
 * dev.mandate.enclave.jwt.JwtSettings} (per app, stored in the app record) and {@link
 * dev.mandate.enclave.jwt.JwtVerifier}, which yields a {@link dev.mandate.enclave.jwt.VerifiedJwt} or throws
 * {@link dev.mandate.enclave.jwt.InvalidJwtException} with a reason. The verified {@code sub} is what a
 * session key is issued for.
 */
package dev.mandate.enclave.jwt;
