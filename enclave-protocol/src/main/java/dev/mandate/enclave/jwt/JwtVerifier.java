package dev.mandate.enclave.jwt;

import com.nimbusds.jose.Header;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.jwk.source.URLBasedJWKSetSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jose.util.ResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.mandate.enclave.jwt.InvalidJwtException.Reason;
import dev.mandate.config.Settings;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Verifies an app's user JWTs (the {@code user_jwt} of {@code POST /v1/wallets/authenticate})
 * against that app's {@link JwtSettings}.
 *
 * <p>Why nimbus-jose-jwt: it is the JOSE library most Java OAuth/OIDC stacks use (Spring Security
 * among them), it verifies RSA, RSA-PSS and ECDSA JWS with the JDK's providers, and its {@link
 * JWKSourceBuilder} already does the hard part of JWKS handling: caching, refetching when an unknown
 * {@code kid} shows up (key rotation), and rate-limiting those refetches so forged {@code kid}s
 * cannot turn us into a request amplifier against the auth provider.
 *
 * <p>Checks, in order: {@code alg} is in the allowed set (so {@code none}, HS* and JWE never reach
 * a key), the signature against the app's keys (nimbus), then our own claim checks with an
 * injectable clock: {@code exp} required and not past (plus skew), {@code nbf} not in the future
 * (minus skew), {@code iss} and {@code aud} when configured, and a non-blank {@code sub}. The
 * {@code typ} header is not checked: providers use {@code JWT}, {@code at+jwt} or nothing.
 *
 * <p>JWKS caching policy (per verifier, per URL; one verifier per process): a fetched key set is
 * used for {@code cacheTimeToLive} (default 5 min). A token whose {@code kid} is not in the cached
 * set triggers an immediate refetch, rate-limited by nimbus to two fetches per {@code
 * refreshMinInterval} (default 30 s) per URL. So a newly published key works on its first token;
 * a key removed from the JWKS stops verifying at the next refetch, at the latest after the TTL;
 * and a token whose key is still not found after a refetch (or while refetches are rate-limited)
 * fails with {@link Reason#UNKNOWN_KEY}. If the endpoint fails (unreachable, non-200, not a JWKS,
 * over the size limit) and no good set is held, the token is not judged: {@link
 * Reason#KEYS_UNAVAILABLE}. PEM keys match whatever {@code kid} the token names.
 *
 * <p>Thread-safe; reuse one instance. No network or randomness at construction (SnapStart).
 */
public final class JwtVerifier {
  /** Longer tokens are refused unparsed. Real ID/access tokens are well under 8 KiB. */
  public static final int MAX_JWT_LENGTH = 16 * 1024;
  /** Bounds the per-URL and per-PEM-list caches; past this many entries they start over. */
  private static final int MAX_CACHED_SOURCES = 1024;

  private final Function<URI, Keys> remoteKeysFactory;
  private final Clock clock;
  private final Map<URI, Keys> remoteKeys = new ConcurrentHashMap<>();
  private final Map<List<String>, Keys> pemKeys = new ConcurrentHashMap<>();

  /** Where an app's keys come from, and whether that source currently has any (last fetch worked). */
  private record Keys(JWKSource<SecurityContext> source, BooleanSupplier available) {}

  private JwtVerifier(final Builder builder) {
    this.clock = builder.clock;
    final ResourceRetriever retriever = builder.resourceRetriever != null
        ? builder.resourceRetriever
        : new JwksUrls.GuardedRetriever(
            (int) builder.httpTimeout.toMillis(), (int) builder.httpTimeout.toMillis(), builder.maxJwksBytes);
    final long ttl = builder.cacheTimeToLive.toMillis();
    final long refreshTimeout = builder.httpTimeout.multipliedBy(2).plusSeconds(1).toMillis();
    final long minInterval = builder.refreshMinInterval.toMillis();
    this.remoteKeysFactory = url -> {
      final FetchTracker fetches = new FetchTracker(new URLBasedJWKSetSource<>(toUrl(url), retriever));
      final JWKSource<SecurityContext> source = JWKSourceBuilder.create(fetches)
          .cache(ttl, refreshTimeout)
          .refreshAheadCache(false)
          .rateLimited(minInterval)
          .retrying(false)
          .build();
      return new Keys(source, fetches::lastFetchSucceeded);
    };
  }

  /** A verifier with the defaults ({@link Builder}). */
  public static JwtVerifier create() {
    return builder().build();
  }

  /**
   * Defaults, each overridable by a system property or environment variable: {@code
   * MANDATE_JWKS_HTTP_TIMEOUT_MS} (2000, used for both connect and read), {@code
   * MANDATE_JWKS_MAX_BYTES} (51200), {@code MANDATE_JWKS_CACHE_TTL_SECONDS} (300), {@code
   * MANDATE_JWKS_REFRESH_MIN_INTERVAL_SECONDS} (30); the system UTC clock.
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * @return the verified token's subject, expiry, issuer and claims
   * @throws InvalidJwtException with the reason the token was refused
   */
  public VerifiedJwt verify(final String jwt, final JwtSettings settings) {
    Objects.requireNonNull(settings, "settings");
    final SignedJWT signed = parse(jwt, settings);
    final JWTClaimsSet claims = checkSignature(signed, settings, keys(settings));
    return checkClaims(claims, settings);
  }

  /**
   * Verifies without any I/O, against the keys given: the enclave's entry point. For PEM settings
   * the sealed settings' own keys are used and {@code jwksJson} is ignored; for a JWKS URL, {@code
   * jwksJson} is the key set the host fetched from that (sealed) URL.
   */
  public VerifiedJwt verifyWithKeys(final String jwt, final JwtSettings settings, final Optional<String> jwksJson) {
    Objects.requireNonNull(settings, "settings");
    final SignedJWT signed = parse(jwt, settings);
    final Keys keys;
    if (settings.jwksUrl().isEmpty()) {
      keys = pemKeys(settings.pemPublicKeys());
    } else {
      final JWKSet set;
      try {
        set = JWKSet.parse(jwksJson.orElseThrow(() -> new InvalidJwtException(Reason.KEYS_UNAVAILABLE)));
      } catch (ParseException e) {
        throw new InvalidJwtException(Reason.KEYS_UNAVAILABLE);
      }
      final JWKSet publicOnly = set.toPublicJWKSet();
      keys = new Keys((selector, context) -> selector.select(publicOnly), () -> true);
    }
    return checkClaims(checkSignature(signed, settings, keys), settings);
  }

  /**
   * The public keys this verifier currently holds for {@code settings}' JWKS URL (fetching them if
   * it holds none), as JWKS JSON: what the host hands the enclave with a token it verified.
   */
  public Optional<String> publicKeys(final JwtSettings settings) {
    if (settings.jwksUrl().isEmpty()) {
      return Optional.empty();
    }
    try {
      final List<JWK> all = keys(settings).source().get(new JWKSelector(new JWKMatcher.Builder().build()), null);
      return Optional.of(new JWKSet(all).toPublicJWKSet().toString());
    } catch (KeySourceException e) {
      throw new InvalidJwtException(Reason.KEYS_UNAVAILABLE);
    }
  }

  private static SignedJWT parse(final String jwt, final JwtSettings settings) {
    if (jwt == null || jwt.isBlank() || jwt.length() > MAX_JWT_LENGTH) {
      throw new InvalidJwtException(Reason.MALFORMED);
    }
    final Header header;
    try {
      header = Header.parse(new Base64URL(firstPart(jwt)));
    } catch (ParseException e) {
      throw new InvalidJwtException(Reason.MALFORMED);
    }
    // Before any key is touched: alg:none (a PlainHeader), JWE and algorithms the app did not allow.
    if (!(header instanceof JWSHeader jws) || !settings.allowedAlgorithms().contains(jws.getAlgorithm().getName())) {
      throw new InvalidJwtException(Reason.ALGORITHM_NOT_ALLOWED);
    }
    try {
      final SignedJWT signed = SignedJWT.parse(jwt);
      signed.getJWTClaimsSet();
      return signed;
    } catch (ParseException e) {
      throw new InvalidJwtException(Reason.MALFORMED);
    }
  }

  private static String firstPart(final String jwt) {
    final int dot = jwt.indexOf('.');
    if (dot <= 0) {
      throw new InvalidJwtException(Reason.MALFORMED);
    }
    return jwt.substring(0, dot);
  }

  private static JWTClaimsSet checkSignature(final SignedJWT signed, final JwtSettings settings, final Keys keys) {
    final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    processor.setJWSTypeVerifier((type, context) -> { });
    processor.setJWTClaimsSetVerifier((claims, context) -> { });
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms(settings), keys.source()));
    try {
      return processor.process(signed, null);
    } catch (RateLimitReachedException e) {
      // A refetch was wanted but not allowed yet. With a good key set cached, the token's kid is
      // simply not in it; with none (the endpoint is failing), we could not judge the token.
      throw new InvalidJwtException(keys.available().getAsBoolean() ? Reason.UNKNOWN_KEY : Reason.KEYS_UNAVAILABLE);
    } catch (KeySourceException e) {
      throw new InvalidJwtException(Reason.KEYS_UNAVAILABLE);
    } catch (BadJWSException e) {
      throw new InvalidJwtException(Reason.BAD_SIGNATURE);
    } catch (BadJOSEException e) {
      // The claims and type verifiers are no-ops and the claims already parsed, so the one
      // remaining rejection is "no matching key(s) found".
      throw new InvalidJwtException(Reason.UNKNOWN_KEY);
    } catch (JOSEException e) {
      throw new InvalidJwtException(Reason.BAD_SIGNATURE);
    }
  }

  private VerifiedJwt checkClaims(final JWTClaimsSet claims, final JwtSettings settings) {
    final Instant now = clock.instant();
    final Date expiry = claims.getExpirationTime();
    if (expiry == null) {
      throw new InvalidJwtException(Reason.MALFORMED);
    }
    if (!now.isBefore(expiry.toInstant().plus(settings.clockSkew()))) {
      throw new InvalidJwtException(Reason.EXPIRED);
    }
    final Date notBefore = claims.getNotBeforeTime();
    if (notBefore != null && now.plus(settings.clockSkew()).isBefore(notBefore.toInstant())) {
      throw new InvalidJwtException(Reason.NOT_YET_VALID);
    }
    if (settings.issuer().isPresent() && !settings.issuer().get().equals(claims.getIssuer())) {
      throw new InvalidJwtException(Reason.WRONG_ISSUER);
    }
    if (settings.audience().isPresent()
        && (claims.getAudience() == null || !claims.getAudience().contains(settings.audience().get()))) {
      throw new InvalidJwtException(Reason.WRONG_AUDIENCE);
    }
    final String subject = claims.getSubject();
    if (subject == null || subject.isBlank()) {
      throw new InvalidJwtException(Reason.NO_SUBJECT);
    }
    return new VerifiedJwt(
        subject, expiry.toInstant(), Optional.ofNullable(claims.getIssuer()), claims.toJSONObject());
  }

  private static Set<JWSAlgorithm> algorithms(final JwtSettings settings) {
    return settings.allowedAlgorithms().stream().map(JWSAlgorithm::parse).collect(Collectors.toUnmodifiableSet());
  }

  private Keys keys(final JwtSettings settings) {
    if (settings.jwksUrl().isPresent()) {
      return cached(remoteKeys, settings.jwksUrl().get(), remoteKeysFactory);
    }
    return cached(pemKeys, settings.pemPublicKeys(), JwtVerifier::pemKeys);
  }

  private static <K> Keys cached(final Map<K, Keys> cache, final K key, final Function<K, Keys> factory) {
    if (cache.size() >= MAX_CACHED_SOURCES && !cache.containsKey(key)) {
      cache.clear();
    }
    return cache.computeIfAbsent(key, factory);
  }

  /**
   * PEM keys carry no {@code kid}, while most providers put one in every token: match on key type,
   * curve and algorithm, ignoring the token's {@code kid}, and let the signature decide.
   */
  private static Keys pemKeys(final List<String> pems) {
    final JWKSet keys = new JWKSet(pems.stream()
        .map(pem -> PemKeys.parse(pem).orElseThrow(() -> new IllegalStateException("validated by JwtSettings")))
        .map(JWK.class::cast)
        .toList());
    final JWKSource<SecurityContext> source = (selector, context) ->
        new JWKSelector(new JWKMatcher.Builder(selector.getMatcher()).keyID(null).build()).select(keys);
    return new Keys(source, () -> true);
  }

  /** Remembers whether the last real JWKS fetch (below the cache and rate limiter) worked. */
  private static final class FetchTracker implements JWKSetSource<SecurityContext> {
    private final JWKSetSource<SecurityContext> delegate;
    private volatile boolean lastFetchSucceeded;

    FetchTracker(final JWKSetSource<SecurityContext> delegate) {
      this.delegate = delegate;
    }

    @Override
    public JWKSet getJWKSet(final JWKSetCacheRefreshEvaluator evaluator, final long now, final SecurityContext context)
        throws KeySourceException {
      try {
        final JWKSet keys = delegate.getJWKSet(evaluator, now, context);
        lastFetchSucceeded = true;
        return keys;
      } catch (KeySourceException | RuntimeException e) {
        lastFetchSucceeded = false;
        throw e;
      }
    }

    boolean lastFetchSucceeded() {
      return lastFetchSucceeded;
    }

    @Override
    public void close() throws IOException {
      delegate.close();
    }
  }

  private static URL toUrl(final URI uri) {
    try {
      return uri.toURL();
    } catch (MalformedURLException | IllegalArgumentException e) {
      throw new InvalidJwtException(Reason.KEYS_UNAVAILABLE);
    }
  }

  /** Settings for {@link JwtVerifier}; defaults from the environment, see {@link #builder()}. */
  public static final class Builder {
    private Duration httpTimeout = Duration.ofMillis(Settings.getInt("MANDATE_JWKS_HTTP_TIMEOUT_MS", 2000));
    private int maxJwksBytes = Settings.getInt("MANDATE_JWKS_MAX_BYTES", 50 * 1024);
    private Duration cacheTimeToLive = Duration.ofSeconds(Settings.getInt("MANDATE_JWKS_CACHE_TTL_SECONDS", 300));
    private Duration refreshMinInterval =
        Duration.ofSeconds(Settings.getInt("MANDATE_JWKS_REFRESH_MIN_INTERVAL_SECONDS", 30));
    private ResourceRetriever resourceRetriever;
    private Clock clock = Clock.systemUTC();

    private Builder() {}

    /** Connect and read timeout for JWKS fetches. */
    public Builder httpTimeout(final Duration value) {
      this.httpTimeout = positive(value, "httpTimeout");
      return this;
    }

    /** How long a fetched JWKS is trusted before it is fetched again. */
    public Builder cacheTimeToLive(final Duration value) {
      this.cacheTimeToLive = positive(value, "cacheTimeToLive");
      return this;
    }

    /** At most two JWKS fetches per URL in this interval (nimbus's rate limiter). */
    public Builder refreshMinInterval(final Duration value) {
      this.refreshMinInterval = positive(value, "refreshMinInterval");
      return this;
    }

    /** Replaces the HTTP client for JWKS fetches (then the timeout and size limit are its own). */
    public Builder resourceRetriever(final ResourceRetriever value) {
      this.resourceRetriever = Objects.requireNonNull(value, "resourceRetriever");
      return this;
    }

    /** The clock for {@code exp} and {@code nbf}. */
    public Builder clock(final Clock value) {
      this.clock = Objects.requireNonNull(value, "clock");
      return this;
    }

    /** @throws IllegalArgumentException if the refresh interval is not shorter than the TTL */
    public JwtVerifier build() {
      if (refreshMinInterval.compareTo(cacheTimeToLive) >= 0) {
        throw new IllegalArgumentException("refreshMinInterval must be shorter than cacheTimeToLive");
      }
      return new JwtVerifier(this);
    }

    private static Duration positive(final Duration value, final String name) {
      if (value == null || value.isNegative() || value.isZero()) {
        throw new IllegalArgumentException(name + " must be positive");
      }
      return value;
    }
  }
}
