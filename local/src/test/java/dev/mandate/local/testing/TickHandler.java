package dev.mandate.local.testing;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/** A scheduled handler that records every event it gets; it can be told to fail or to take its time. */
public final class TickHandler implements RequestHandler<Map<String, Object>, Map<String, Object>> {
  /** One invocation. */
  public record Call(int instance, Map<String, Object> event, String functionName, int memoryMb, String thread) {}

  public static final String SECRET = "message-body-the-runner-must-not-log";
  public static final Queue<Call> CALLS = new ConcurrentLinkedQueue<>();
  public static final AtomicInteger INSTANCES = new AtomicInteger();
  public static final AtomicInteger RUNNING = new AtomicInteger();
  public static final AtomicInteger MAX_RUNNING = new AtomicInteger();
  public static volatile boolean fail;
  public static volatile long sleepMillis;

  private final int instance;

  public TickHandler() {
    instance = INSTANCES.incrementAndGet();
  }

  public static void reset() {
    CALLS.clear();
    RUNNING.set(0);
    MAX_RUNNING.set(0);
    fail = false;
    sleepMillis = 0;
  }

  public static List<Call> calls() {
    return List.copyOf(CALLS);
  }

  @Override
  public Map<String, Object> handleRequest(final Map<String, Object> event, final Context context) {
    MAX_RUNNING.accumulateAndGet(RUNNING.incrementAndGet(), Math::max);
    try {
      CALLS.add(new Call(instance, event, context.getFunctionName(), context.getMemoryLimitInMB(),
          Thread.currentThread().getName()));
      if (sleepMillis > 0) {
        Thread.sleep(sleepMillis);
      }
      if (fail) {
        throw new IllegalStateException(SECRET);
      }
      return Map.of("ok", true);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of("ok", false);
    } finally {
      RUNNING.decrementAndGet();
    }
  }
}
