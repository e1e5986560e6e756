package dev.mandate.enclave.jwt;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A JWT whose signature, lifetime, issuer and audience checked out.
 *
 * @param subject the {@code sub} claim: the user's id at the app's auth provider (Privy's
 *     {@code custom_user_id})
 * @param expiresAt the {@code exp} claim
 * @param issuer the {@code iss} claim, if present
 * @param claims every claim as JSON values (dates as epoch seconds); unmodifiable
 */
public record VerifiedJwt(String subject, Instant expiresAt, Optional<String> issuer, Map<String, Object> claims) {
  public VerifiedJwt {
    Objects.requireNonNull(subject, "subject");
    Objects.requireNonNull(expiresAt, "expiresAt");
    Objects.requireNonNull(issuer, "issuer");
    // Not Map.copyOf: JSON claims may hold nulls.
    claims = Collections.unmodifiableMap(new LinkedHashMap<>(claims));
  }

  /** Subject and expiry only: claims may carry personal data (emails, names). */
  @Override
  public String toString() {
    return "VerifiedJwt[subject=" + subject + ", expiresAt=" + expiresAt + "]";
  }
}
