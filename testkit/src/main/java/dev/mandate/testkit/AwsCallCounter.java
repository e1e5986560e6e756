package dev.mandate.testkit;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts the AWS calls (and the HTTP attempts they took) of every SDK client it is installed in, by
 * {@code Service:Operation}, e.g. {@code DynamoDb:GetItem} or {@code Kms:Decrypt} (the SDK's service names). Install it in the
 * runner's clients by configuration ({@code MANDATE_AWS_INTERCEPTORS=dev.mandate.testkit.AwsCallCounter})
 * or on a client's override configuration. All instances share one process-wide tally, so a test
 * reads what the runner's clients did with {@link #snapshot()}.
 */
public final class AwsCallCounter implements ExecutionInterceptor {
  private static final Map<String, LongAdder> CALLS = new ConcurrentHashMap<>();
  private static final Map<String, LongAdder> ATTEMPTS = new ConcurrentHashMap<>();

  /** What was counted between two points in time. */
  public record Tally(Map<String, Long> calls, Map<String, Long> attempts) {
    /** Calls to {@code service} (the SDK's name: {@code DynamoDb}, {@code Kms}), every operation. */
    public long calls(final String service) {
      return calls.entrySet().stream().filter(e -> e.getKey().startsWith(service + ":"))
          .mapToLong(Map.Entry::getValue).sum();
    }

    /** Calls of one {@code Service:Operation}. */
    public long call(final String serviceOperation) {
      return calls.getOrDefault(serviceOperation, 0L);
    }

    /** What happened after {@code earlier}. */
    public Tally minus(final Tally earlier) {
      return new Tally(subtract(calls, earlier.calls), subtract(attempts, earlier.attempts));
    }

    private static Map<String, Long> subtract(final Map<String, Long> later, final Map<String, Long> earlier) {
      final Map<String, Long> out = new TreeMap<>();
      later.forEach((k, v) -> {
        final long d = v - earlier.getOrDefault(k, 0L);
        if (d != 0) {
          out.put(k, d);
        }
      });
      return Map.copyOf(out);
    }
  }

  @Override
  public void beforeExecution(final Context.BeforeExecution context, final ExecutionAttributes attributes) {
    CALLS.computeIfAbsent(name(attributes), k -> new LongAdder()).increment();
  }

  @Override
  public void beforeTransmission(final Context.BeforeTransmission context, final ExecutionAttributes attributes) {
    ATTEMPTS.computeIfAbsent(name(attributes), k -> new LongAdder()).increment();
  }

  /** The totals so far, process-wide. */
  public static Tally snapshot() {
    return new Tally(copy(CALLS), copy(ATTEMPTS));
  }

  private static Map<String, Long> copy(final Map<String, LongAdder> counters) {
    final Map<String, Long> out = new TreeMap<>();
    counters.forEach((k, v) -> out.put(k, v.sum()));
    return Map.copyOf(out);
  }

  private static String name(final ExecutionAttributes attributes) {
    return attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + ":"
        + attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
  }
}
