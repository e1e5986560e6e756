package dev.mandate.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mandate.local.TemplateRoutes.ScheduleSpec;
import dev.mandate.local.testing.TickHandler;
import dev.mandate.local.testing.TickHandler.Call;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner ticking the template's schedules: test-template.yaml's ScheduledOnly has two. */
class SchedulerTest {
  private static final Instant NOON = Instant.parse("2025-01-01T12:00:00Z");
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream log = new ByteArrayOutputStream();
  private LocalRunner runner;

  @TempDir
  Path dir;

  @BeforeEach
  void reset() {
    TickHandler.reset();
  }

  @AfterEach
  void stop() {
    if (runner != null) {
      runner.close();
    }
    TickHandler.reset();
  }

  private LocalRunner start(final long tickMillis) {
    return start(TestTemplates.resource("test-template.yaml"), tickMillis);
  }

  private LocalRunner start(final Path template, final long tickMillis) {
    runner = LocalRunner.start(template, 0, Backend.none(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(log, true, StandardCharsets.UTF_8), tickMillis);
    return runner;
  }

  private String log() {
    return log.toString(StandardCharsets.UTF_8);
  }

  @Test
  void readsScheduleV2AndScheduleEventsWithTheirInput() {
    final TemplateRoutes routes = TemplateRoutes.load(TestTemplates.resource("test-template.yaml"));
    assertThat(routes.schedules()).extracting(ScheduleSpec::name, ScheduleSpec::expression, s -> s.input().isPresent())
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("ScheduledOnly.Tick", "rate(1 minute)", true),
            org.assertj.core.groups.Tuple.tuple("ScheduledOnly.Legacy", "cron(0/5 * * * ? *)", false));
    assertThat(routes.schedules().get(0).function().timeoutSeconds()).isEqualTo(11);
    assertThat(routes.functions()).as("scheduled-only functions are not served").doesNotContainKey("ScheduledOnly");
  }

  @Test
  void tickNowDeliversEachScheduleOnceWithItsInputToOneHandlerInstance() {
    start(0).tickNow(NOON);

    final List<Call> calls = TickHandler.calls();
    assertThat(calls).hasSize(2);
    assertThat(calls.get(0).event()).isEqualTo(Map.of("scheduled_time", "2025-01-01T12:00:00Z", "attempt", "1"));
    assertThat(calls.get(1).event()).as("no Input").isEqualTo(Map.of("scheduled_time", "2025-01-01T12:00:00Z"));
    assertThat(calls).extracting(Call::instance).containsOnly(calls.get(0).instance());
    assertThat(calls).extracting(Call::functionName).containsOnly("ScheduledOnly");
    assertThat(calls).extracting(Call::memoryMb).containsOnly(2048);
    assertThat(calls).extracting(Call::thread).as("synchronous").containsOnly(Thread.currentThread().getName());
  }

  @Test
  void tickNowTwiceIsADuplicateDelivery() {
    start(0);
    runner.tickNow();
    runner.tickNow();

    final List<Call> calls = TickHandler.calls();
    assertThat(calls).hasSize(4);
    final Instant first = Instant.parse((String) calls.get(0).event().get("scheduled_time"));
    assertThat(first).isCloseTo(Instant.now(), org.assertj.core.api.Assertions.within(5, java.time.temporal.ChronoUnit.SECONDS));
    assertThat(first.getNano()).as("whole seconds, as EventBridge sends it").isZero();
  }

  @Test
  void zeroTickMeansNoBackgroundTicks() throws InterruptedException {
    start(0);
    Thread.sleep(300);
    assertThat(TickHandler.calls()).isEmpty();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("ScheduledOnly.Tick (rate(1 minute))").contains("not ticking");
  }

  @Test
  void ticksInTheBackgroundUntilClosed() throws InterruptedException {
    start(20);
    await(() -> TickHandler.calls().size() >= 6);
    assertThat(TickHandler.calls()).extracting(Call::thread).containsOnly("mandate-local-scheduler");
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("ticking every 20 ms");

    runner.close();
    final int afterClose = TickHandler.calls().size();
    Thread.sleep(200);
    assertThat(TickHandler.calls()).hasSize(afterClose);
    runner.tickNow(NOON);
    assertThat(TickHandler.calls()).as("closed runners do not tick").hasSize(afterClose);
  }

  @Test
  void failuresAreLoggedByTypeOnlyAndTickingContinues() throws InterruptedException {
    TickHandler.fail = true;
    start(10);
    await(() -> TickHandler.calls().size() >= 6);
    assertThat(log()).contains("mandate-local: scheduled ScheduledOnly.Tick threw java.lang.IllegalStateException")
        .doesNotContain(TickHandler.SECRET);

    TickHandler.fail = false;
    final int before = TickHandler.calls().size();
    await(() -> TickHandler.calls().size() >= before + 4);
  }

  @Test
  void ticksNeverOverlap() {
    TickHandler.sleepMillis = 30;
    start(5);
    final List<CompletableFuture<Void>> manual = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      manual.add(CompletableFuture.runAsync(() -> runner.tickNow(NOON)));
    }
    manual.forEach(CompletableFuture::join);
    await(() -> TickHandler.calls().size() >= 12);
    assertThat(TickHandler.MAX_RUNNING.get()).isEqualTo(1);
  }

  @Test
  void aScheduledHandlerMustTakeAMapEvent() throws IOException {
    final Path template = template("""
          Echo:
            Type: AWS::Serverless::Function
            Properties:
              Handler: dev.mandate.local.testing.EchoHandler::handleRequest
              Events:
                Warm:
                  Type: ScheduleV2
                  Properties:
                    ScheduleExpression: rate(5 minutes)
        """);
    assertThatThrownBy(() -> start(template, 0)).isInstanceOf(StartupException.class)
        .hasMessageContaining("Echo: a scheduled handler must take a Map<String, Object> event")
        .hasMessageContaining("APIGatewayV2HTTPEvent");
  }

  @Test
  void badScheduleExpressionsAndInputsFailStartup() throws IOException {
    assertThatThrownBy(() -> start(template(scheduled("ScheduleExpression: rate(5 fortnights)")), 0))
        .isInstanceOf(StartupException.class).hasMessageContaining("Ticker.Tick: rate(5 fortnights)");
    assertThatThrownBy(() -> start(template(scheduled("ScheduleExpression: rate(1 minute)\n"
        + "            Input: '[1, 2]'")), 0))
        .isInstanceOf(StartupException.class).hasMessageContaining("Ticker.Tick: Input must be a JSON object");
    assertThatThrownBy(() -> start(template(scheduled("Input: '{}'")), 0))
        .isInstanceOf(StartupException.class).hasMessageContaining("needs a literal ScheduleExpression");
  }

  @Test
  void tickSettingMustBeANonNegativeNumber() {
    final String saved = System.getProperty(Scheduler.TICK_SETTING);
    try {
      System.clearProperty(Scheduler.TICK_SETTING);
      if (System.getenv(Scheduler.TICK_SETTING) == null) {
        assertThat(Scheduler.tickMillis()).isEqualTo(1000);
      }
      System.setProperty(Scheduler.TICK_SETTING, "0");
      assertThat(Scheduler.tickMillis()).isZero();
      System.setProperty(Scheduler.TICK_SETTING, "-1");
      assertThatThrownBy(Scheduler::tickMillis).isInstanceOf(StartupException.class).hasMessageContaining("0 = off");
      System.setProperty(Scheduler.TICK_SETTING, "soon");
      assertThatThrownBy(Scheduler::tickMillis).isInstanceOf(StartupException.class);
    } finally {
      if (saved == null) {
        System.clearProperty(Scheduler.TICK_SETTING);
      } else {
        System.setProperty(Scheduler.TICK_SETTING, saved);
      }
    }
  }

  @Test
  void fillsEventBridgeSchedulerPlaceholders() {
    final TemplateRoutes.FunctionSpec fn = new TemplateRoutes.FunctionSpec("Fn", "x.Y::handleRequest", 128, 3);
    final Map<String, Object> event = Scheduler.event(new ScheduleSpec(fn, "Tick", "rate(1 minute)", Optional.of(
        "{\"t\":\"<aws.scheduler.scheduled-time>\",\"arn\":\"<aws.scheduler.schedule-arn>\","
            + "\"id\":\"<aws.scheduler.execution-id>\",\"n\":{\"a\":\"<aws.scheduler.attempt-number>\"}}")), NOON);
    assertThat(event).containsEntry("t", "2025-01-01T12:00:00Z")
        .containsEntry("arn", "arn:aws:scheduler:us-east-1:000000000000:schedule/default/Fn-Tick")
        .containsEntry("n", Map.of("a", "1"));
    assertThat((String) event.get("id")).hasSize(36);
  }

  /** A template with one HTTP function (a template must have routes) plus {@code resources}. */
  private Path template(final String resources) throws IOException {
    final Path template = dir.resolve("template-" + System.nanoTime() + ".yaml");
    Files.writeString(template, """
        Resources:
          Http:
            Type: AWS::Serverless::Function
            Properties:
              Handler: dev.mandate.local.testing.BinaryHandler::handleRequest
              Events:
                Get:
                  Type: HttpApi
                  Properties:
                    Path: /v1/blob
                    Method: GET
        """ + resources);
    return template;
  }

  private static String scheduled(final String properties) {
    return """
          Ticker:
            Type: AWS::Serverless::Function
            Properties:
              Handler: dev.mandate.local.testing.TickHandler::handleRequest
              Events:
                Tick:
                  Type: ScheduleV2
                  Properties:
                    %s
        """.formatted(properties);
  }

  private static void await(final BooleanSupplier condition) {
    final long deadline = System.nanoTime() + 10_000_000_000L;
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within 10 s");
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }
}
