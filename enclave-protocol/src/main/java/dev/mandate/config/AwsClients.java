package dev.mandate.config;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.retry.RetryPolicy;
import software.amazon.awssdk.core.retry.conditions.RetryCondition;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;

/**
 * How every AWS client Mandate makes at run time (DynamoDB, KMS) is configured, so no call can hang a
 * request: a connect timeout, a per-attempt timeout and a total budget per call, retries only for
 * calls that are safe to repeat, and any interceptors the deployment names.
 *
 * <table>
 *   <caption>Settings (system property, then environment variable)</caption>
 *   <tr><td>{@value #CONNECT_TIMEOUT_SETTING}</td><td>TCP connect, default {@value #DEFAULT_CONNECT_MS} ms</td></tr>
 *   <tr><td>{@value #ATTEMPT_TIMEOUT_SETTING}</td><td>one HTTP attempt, default {@value #DEFAULT_ATTEMPT_MS} ms</td></tr>
 *   <tr><td>{@value #CALL_TIMEOUT_SETTING}</td><td>a call with its retries, default {@value #DEFAULT_CALL_MS} ms</td></tr>
 *   <tr><td>{@value #MAX_ATTEMPTS_SETTING}</td><td>attempts per call (1 = no retry), default {@value #DEFAULT_MAX_ATTEMPTS}</td></tr>
 *   <tr><td>{@value #INTERCEPTORS_SETTING}</td><td>comma-separated {@link ExecutionInterceptor} classes (no-arg constructors)</td></tr>
 * </table>
 */
public final class AwsClients {
  public static final String CONNECT_TIMEOUT_SETTING = "MANDATE_AWS_CONNECT_TIMEOUT_MS";
  public static final String ATTEMPT_TIMEOUT_SETTING = "MANDATE_AWS_ATTEMPT_TIMEOUT_MS";
  public static final String CALL_TIMEOUT_SETTING = "MANDATE_AWS_CALL_TIMEOUT_MS";
  public static final String MAX_ATTEMPTS_SETTING = "MANDATE_AWS_MAX_ATTEMPTS";
  public static final String INTERCEPTORS_SETTING = "MANDATE_AWS_INTERCEPTORS";
  static final int DEFAULT_CONNECT_MS = 1_000;
  static final int DEFAULT_ATTEMPT_MS = 1_500;
  static final int DEFAULT_CALL_MS = 3_000;
  static final int DEFAULT_MAX_ATTEMPTS = 2;

  /** Reads and KMS operations: repeating one changes nothing. */
  private static final Set<String> IDEMPOTENT_PREFIXES = Set.of(
      "Get", "BatchGet", "Query", "Scan", "Describe", "List", "TransactGet", // DynamoDB
      "Decrypt", "GenerateDataKey", "Encrypt", "Sign"); // KMS: no state changes
  /** Writes the service itself makes idempotent (the SDK fills in a ClientRequestToken). */
  private static final Set<String> TOKENED_WRITES = Set.of("TransactWriteItems");

  private AwsClients() {}

  /** Timeouts and budget of this process, read once. */
  public record Budget(Duration connect, Duration attempt, Duration call, int maxAttempts) {
    public static Budget fromEnvironment() {
      return new Budget(
          Duration.ofMillis(positive(CONNECT_TIMEOUT_SETTING, DEFAULT_CONNECT_MS)),
          Duration.ofMillis(positive(ATTEMPT_TIMEOUT_SETTING, DEFAULT_ATTEMPT_MS)),
          Duration.ofMillis(positive(CALL_TIMEOUT_SETTING, DEFAULT_CALL_MS)),
          positive(MAX_ATTEMPTS_SETTING, DEFAULT_MAX_ATTEMPTS));
    }
  }

  /** {@code builder} with Mandate's HTTP client, timeouts, retry rule and configured interceptors. */
  public static <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configure(final B builder) {
    final Budget budget = Budget.fromEnvironment();
    final ClientOverrideConfiguration.Builder override = ClientOverrideConfiguration.builder()
        .apiCallAttemptTimeout(budget.attempt())
        .apiCallTimeout(budget.call())
        .retryPolicy(retryPolicy(budget.maxAttempts()));
    interceptors().forEach(override::addExecutionInterceptor);
    builder.httpClientBuilder(UrlConnectionHttpClient.builder()
        .connectionTimeout(budget.connect())
        .socketTimeout(budget.attempt()));
    return builder.overrideConfiguration(override.build());
  }

  /**
   * The SDK's default retry conditions (throttling, 5xx, I/O errors, attempt timeouts), applied only
   * to calls that are safe to repeat: reads, KMS, conditional writes (a repeat of one that landed
   * fails its condition instead of writing twice) and token-idempotent transactions.
   */
  @SuppressWarnings("deprecation") // RetryPolicy sees the request; the newer RetryStrategy does not
  static RetryPolicy retryPolicy(final int maxAttempts) {
    final RetryCondition safe = context -> safeToRepeat(context.originalRequest());
    return RetryPolicy.builder()
        .numRetries(maxAttempts - 1)
        .retryCondition(software.amazon.awssdk.core.retry.conditions.AndRetryCondition.create(RetryCondition.defaultRetryCondition(), safe))
        .build();
  }

  /** Whether repeating {@code request} after an attempt of unknown outcome cannot change data twice. */
  public static boolean safeToRepeat(final SdkRequest request) {
    final String operation = request.getClass().getSimpleName().replaceFirst("Request$", "");
    if (IDEMPOTENT_PREFIXES.stream().anyMatch(operation::startsWith) || TOKENED_WRITES.contains(operation)) {
      return true;
    }
    return request.getValueForField("ConditionExpression", String.class).isPresent();
  }

  static List<ExecutionInterceptor> interceptors() {
    return Settings.get(INTERCEPTORS_SETTING).stream()
        .flatMap(names -> Arrays.stream(names.split(",")))
        .map(String::trim)
        .filter(name -> !name.isEmpty())
        .map(AwsClients::instantiate)
        .toList();
  }

  private static ExecutionInterceptor instantiate(final String className) {
    try {
      final ClassLoader loader = java.util.Optional.ofNullable(Thread.currentThread().getContextClassLoader())
          .orElse(AwsClients.class.getClassLoader());
      return Class.forName(className, true, loader)
          .asSubclass(ExecutionInterceptor.class).getDeclaredConstructor().newInstance();
    } catch (ReflectiveOperationException | ClassCastException e) {
      throw new IllegalStateException(INTERCEPTORS_SETTING + ": cannot create interceptor " + className, e);
    }
  }

  private static int positive(final String setting, final int fallback) {
    final int value = Settings.getInt(setting, fallback);
    if (value <= 0) {
      throw new IllegalStateException(setting + " must be positive, not " + value);
    }
    return value;
  }
}
