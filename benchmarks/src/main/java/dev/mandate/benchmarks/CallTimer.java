package dev.mandate.benchmarks;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Prints each AWS call a cold start makes, with its wall time and when it ended (ms since JVM
 * start): {@code -Dcoldstart.interceptors=dev.mandate.benchmarks.CallTimer} on {@link ColdStart}.
 */
public final class CallTimer implements ExecutionInterceptor {
  private static final long JVM_START = ProcessHandle.current().info().startInstant().orElseThrow().toEpochMilli();
  private final ThreadLocal<Long> started = new ThreadLocal<>();

  @Override
  public void beforeExecution(final Context.BeforeExecution context, final ExecutionAttributes attributes) {
    started.set(System.nanoTime());
  }

  @Override
  public void afterExecution(final Context.AfterExecution context, final ExecutionAttributes attributes) {
    final long ms = (System.nanoTime() - started.get()) / 1_000_000;
    System.out.println("aws " + context.request().getClass().getSimpleName() + " " + ms + " ms, ended at "
        + (System.currentTimeMillis() - JVM_START) + " ms (" + java.time.LocalTime.now() + ")");
  }
}
