/**
 * Verification of users' login JWTs from an app's own auth provider: {@link
 * dev.mandate.auth.JwtSettings} (per app, stored in the app record) and {@link
 * dev.mandate.auth.JwtVerifier}, which yields a {@link dev.mandate.auth.VerifiedJwt} or throws
 * {@link dev.mandate.auth.InvalidJwtException} with a reason. The verified {@code sub} is what a
 * session key is issued for.
 */
package dev.mandate.auth;
