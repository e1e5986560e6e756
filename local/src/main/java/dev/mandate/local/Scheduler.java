package dev.mandate.local;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mandate.local.TemplateRoutes.FunctionSpec;
import dev.mandate.local.TemplateRoutes.ScheduleSpec;
import dev.mandate.enclave.schedule.Schedule;
import java.io.PrintStream;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Delivers the template's {@code ScheduleV2} and {@code Schedule} events locally. Each scheduled
 * function's handler is created once, like a Lambda init, and called on one background thread every
 * tick ({@code MANDATE_SCHEDULER_TICK_MS}, default 1000; 0 = only {@link #tick} calls), whatever
 * the template's rate: the scheduled handlers decide themselves what is due, and a short tick keeps
 * local runs and tests fast. The event is the schedule's {@code Input} with EventBridge Scheduler's
 * placeholders filled in, or {@code {"scheduled_time": now}} when it has none.
 *
 * <p>Ticks never overlap, whether from the timer or from {@link #tick}. A handler that throws is
 * logged by exception type only (messages may carry request data) and ticking goes on, as
 * EventBridge keeps invoking after a failed run.
 */
final class Scheduler implements AutoCloseable {
  static final String TICK_SETTING = "MANDATE_SCHEDULER_TICK_MS";
  static final long DEFAULT_TICK_MS = 1000;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<LinkedHashMap<String, Object>> EVENT = new TypeReference<>() {};
  private static final long STOP_WAIT_SECONDS = 10;

  /** One schedule and the handler instance of its function. */
  private record Job(ScheduleSpec spec, RequestHandler<Map<String, Object>, ?> handler) {}

  private final List<Job> jobs;
  private final PrintStream log;
  private final Clock clock;
  private final ReentrantLock ticking = new ReentrantLock();
  private ScheduledExecutorService timer;
  private volatile boolean closed;

  private Scheduler(final List<Job> jobs, final PrintStream log, final Clock clock) {
    this.jobs = jobs;
    this.log = log;
    this.clock = clock;
  }

  /**
   * Creates every scheduled function's handler (one instance per function) and checks each
   * schedule's Input.
   *
   * @throws StartupException if a schedule expression is invalid, a handler cannot be created or does
   *     not take a Map event, or an Input is not a JSON object
   */
  static Scheduler create(final List<ScheduleSpec> schedules, final ClassLoader loader, final PrintStream log,
      final Clock clock) {
    final Map<String, RequestHandler<Map<String, Object>, ?>> handlers = new LinkedHashMap<>();
    final List<Job> jobs = new ArrayList<>();
    for (final ScheduleSpec spec : schedules) {
      try {
        Schedule.parse(spec.expression());
      } catch (IllegalArgumentException e) {
        throw new StartupException(spec.name() + ": " + e.getMessage(), e);
      }
      event(spec, Instant.EPOCH);
      jobs.add(new Job(spec, handlers.computeIfAbsent(spec.function().name(), name -> handler(spec.function(), loader))));
    }
    return new Scheduler(List.copyOf(jobs), log, clock);
  }

  /** {@code MANDATE_SCHEDULER_TICK_MS}: milliseconds between ticks, 0 for none. */
  static long tickMillis() {
    final Optional<String> value = Config.get(TICK_SETTING);
    if (value.isEmpty()) {
      return DEFAULT_TICK_MS;
    }
    try {
      final long millis = Long.parseLong(value.get());
      if (millis < 0) {
        throw new NumberFormatException();
      }
      return millis;
    } catch (NumberFormatException e) {
      throw new StartupException(TICK_SETTING + " must be a number of milliseconds (0 = off), not '" + value.get() + "'");
    }
  }

  /** Starts ticking every {@code tickMillis} (the first tick one interval from now); 0 starts nothing. */
  synchronized void start(final long tickMillis) {
    if (tickMillis == 0 || jobs.isEmpty() || timer != null) {
      return;
    }
    timer = Executors.newSingleThreadScheduledExecutor(r -> {
      final Thread thread = new Thread(r, "mandate-local-scheduler");
      thread.setDaemon(true);
      return thread;
    });
    timer.scheduleWithFixedDelay(() -> tick(now()), tickMillis, tickMillis, TimeUnit.MILLISECONDS);
  }

  /** Schedules, for the start-up banner: {@code Function.Event (expression)}. */
  List<String> describe() {
    return jobs.stream().map(job -> job.spec().name() + " (" + job.spec().expression() + ")").toList();
  }

  /**
   * Runs every schedule once, now, on the calling thread, with {@code scheduledTime} as the
   * scheduled time; waits for a tick in progress to finish first.
   */
  void tick(final Instant scheduledTime) {
    ticking.lock();
    try {
      if (closed) {
        return;
      }
      for (final Job job : jobs) {
        invoke(job, scheduledTime);
      }
    } finally {
      ticking.unlock();
    }
  }

  /** What EventBridge passes for {@code <aws.scheduler.scheduled-time>}: whole seconds. */
  Instant now() {
    return clock.instant().truncatedTo(ChronoUnit.SECONDS);
  }

  private void invoke(final Job job, final Instant scheduledTime) {
    final String requestId = UUID.randomUUID().toString();
    try {
      job.handler().handleRequest(event(job.spec(), scheduledTime), new LocalContext(job.spec().function(), requestId, log));
    } catch (VirtualMachineError e) {
      throw e;
    } catch (Throwable e) {
      log.println("mandate-local: scheduled " + job.spec().name() + " threw " + e.getClass().getName()
          + " (request " + requestId + ")");
    }
  }

  /** Stops the timer and waits for a running tick (the backend closes next); later ticks do nothing. */
  @Override
  public void close() {
    final ScheduledExecutorService stopping;
    synchronized (this) {
      closed = true;
      stopping = timer;
    }
    if (stopping == null) {
      return;
    }
    stopping.shutdown();
    try {
      if (!stopping.awaitTermination(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
        stopping.shutdownNow();
      }
    } catch (InterruptedException e) {
      stopping.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** The schedule's Input with EventBridge Scheduler's context attributes filled in. */
  static Map<String, Object> event(final ScheduleSpec spec, final Instant scheduledTime) {
    if (spec.input().isEmpty()) {
      final Map<String, Object> event = new LinkedHashMap<>();
      event.put("scheduled_time", scheduledTime.toString());
      return event;
    }
    final String text = spec.input().get()
        .replace("<aws.scheduler.scheduled-time>", scheduledTime.toString())
        .replace("<aws.scheduler.execution-id>", UUID.randomUUID().toString())
        .replace("<aws.scheduler.attempt-number>", "1")
        .replace("<aws.scheduler.schedule-arn>", "arn:aws:scheduler:" + LocalContext.REGION + ":" + LocalContext.ACCOUNT
            + ":schedule/default/" + spec.function().name() + "-" + spec.event());
    try {
      final Map<String, Object> event = JSON.readValue(text, EVENT);
      if (event == null) {
        throw new StartupException(spec.name() + ": Input must be a JSON object");
      }
      return event;
    } catch (JsonProcessingException e) {
      throw new StartupException(spec.name() + ": Input must be a JSON object (" + e.getOriginalMessage() + ")", e);
    }
  }

  @SuppressWarnings("unchecked")
  private static RequestHandler<Map<String, Object>, ?> handler(final FunctionSpec function, final ClassLoader loader) {
    final RequestHandler<?, ?> handler = FunctionInstances.newHandler(function, loader);
    final Optional<Class<?>> input = inputType(handler.getClass());
    if (input.isPresent() && !input.get().isAssignableFrom(LinkedHashMap.class)) {
      throw new StartupException(function.name() + ": a scheduled handler must take a Map<String, Object> event, but "
          + handler.getClass().getName() + " takes " + input.get().getName());
    }
    return (RequestHandler<Map<String, Object>, ?>) handler;
  }

  /** The class of the handler's RequestHandler input type parameter; empty when not declared concretely. */
  private static Optional<Class<?>> inputType(final Class<?> type) {
    for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
      for (final Type implemented : c.getGenericInterfaces()) {
        if (implemented instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
          final Type input = p.getActualTypeArguments()[0];
          if (input instanceof Class<?> raw) {
            return Optional.of(raw);
          }
          if (input instanceof ParameterizedType generic && generic.getRawType() instanceof Class<?> raw) {
            return Optional.of(raw);
          }
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }
}
