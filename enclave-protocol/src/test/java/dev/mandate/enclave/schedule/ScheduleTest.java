package dev.mandate.enclave.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScheduleTest {
  private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

  private static Instant at(final String iso) {
    return Instant.parse(iso);
  }

  @ParameterizedTest
  @CsvSource({
      "rate(1 second), PT1S",
      "rate(30 seconds), PT30S",
      "rate(1 minute), PT1M",
      "rate(5 minutes), PT5M",
      "rate(1 hour), PT1H",
      "rate(12 hours), PT12H",
      "rate(1 day), PT24H",
      "rate(7 days), PT168H",
      "'  rate( 5   minutes )  ', PT5M"})
  void ratesParseToTheirPeriod(final String expression, final Duration period) {
    final Schedule schedule = Schedule.parse(expression);
    assertThat(schedule.period()).hasValue(period);
    assertThat(schedule.rule()).isEqualTo(new Schedule.Rate(period));
    assertThat(schedule.expression()).isEqualTo(expression.strip());
  }

  @Test
  void rateFiresAtAnchorPlusWholePeriodsStrictlyAfter() {
    final Schedule schedule = Schedule.parse("rate(5 minutes)");
    assertThat(schedule.next(T0, T0)).isEqualTo(at("2025-01-01T10:05:00Z"));
    assertThat(schedule.next(T0, at("2025-01-01T10:04:59.999Z"))).isEqualTo(at("2025-01-01T10:05:00Z"));
    assertThat(schedule.next(T0, at("2025-01-01T10:05:00Z"))).isEqualTo(at("2025-01-01T10:10:00Z"));
    assertThat(schedule.next(T0, at("2025-01-02T10:07:13Z"))).isEqualTo(at("2025-01-02T10:10:00Z"));
  }

  @Test
  void rateBeforeItsAnchorFiresAtTheAnchor() {
    assertThat(Schedule.parse("rate(1 hour)").next(T0, T0.minusSeconds(3600 * 5))).isEqualTo(T0);
  }

  @Test
  void rateWithoutAnchorCountsFromAfter() {
    final Instant after = at("2025-01-01T10:00:00.250Z");
    assertThat(Schedule.parse("rate(2 seconds)").next(after)).isEqualTo(after.plusSeconds(2));
  }

  @ParameterizedTest
  @ValueSource(strings = {"cron(0/5 * * * ? *)", "cron(*/5 * * * ? *)", "cron(0-59/5 * * * ? *)"})
  void cronEveryFiveMinutes(final String expression) {
    final Schedule schedule = Schedule.parse(expression);
    assertThat(schedule.next(at("2025-01-01T10:02:30Z"))).isEqualTo(at("2025-01-01T10:05:00Z"));
    assertThat(schedule.next(at("2025-01-01T10:05:00Z"))).as("strictly after").isEqualTo(at("2025-01-01T10:10:00Z"));
    assertThat(schedule.next(at("2025-01-01T23:57:00Z"))).isEqualTo(at("2025-01-02T00:00:00Z"));
    assertThat(schedule.period()).isEmpty();
  }

  @Test
  void cronIgnoresTheAnchor() {
    assertThat(Schedule.parse("cron(0 * * * ? *)").next(at("2020-01-01T00:00:00Z"), at("2025-01-01T10:30:00Z")))
        .isEqualTo(at("2025-01-01T11:00:00Z"));
  }

  @Test
  void cronOnWeekdaysByName() {
    final Schedule schedule = Schedule.parse("cron(0 9 ? * MON-FRI *)");
    // 2025-01-03 is a Friday.
    assertThat(schedule.next(at("2025-01-03T08:59:00Z"))).isEqualTo(at("2025-01-03T09:00:00Z"));
    assertThat(schedule.next(at("2025-01-03T09:00:00Z"))).isEqualTo(at("2025-01-06T09:00:00Z"));
  }

  @Test
  void cronDayOfWeekNumbersStartAtSunday() {
    // 2025-01-01 is a Wednesday; 1 = Sunday as in EventBridge.
    assertThat(Schedule.parse("cron(30 8 ? * 1 *)").next(at("2025-01-01T00:00:00Z"))).isEqualTo(at("2025-01-05T08:30:00Z"));
    assertThat(Schedule.parse("cron(30 8 ? * 7 *)").next(at("2025-01-01T00:00:00Z"))).isEqualTo(at("2025-01-04T08:30:00Z"));
    assertThat(Schedule.parse("cron(0 0 ? * sat,sun *)").next(at("2025-01-04T00:00:00Z"))).isEqualTo(at("2025-01-05T00:00:00Z"));
  }

  @Test
  void cronMonthAndDayCombinations() {
    assertThat(Schedule.parse("cron(15 10 1,15 JAN,JUL ? *)").next(at("2025-01-15T10:15:00Z")))
        .isEqualTo(at("2025-07-01T10:15:00Z"));
    assertThat(Schedule.parse("cron(0 0 31 * ? *)").next(at("2025-01-31T00:00:00Z")))
        .as("skips months without a 31st").isEqualTo(at("2025-03-31T00:00:00Z"));
    assertThat(Schedule.parse("cron(0 0 29 2 ? *)").next(at("2025-03-01T00:00:00Z")))
        .as("leap day").isEqualTo(at("2028-02-29T00:00:00Z"));
    assertThat(Schedule.parse("cron(0 12 1-3 * ? *)").next(at("2025-02-03T12:00:00Z")))
        .isEqualTo(at("2025-03-01T12:00:00Z"));
    assertThat(Schedule.parse("cron(0 0 1 */3 ? *)").next(at("2025-01-01T00:00:00Z")))
        .as("quarterly: JAN, APR, JUL, OCT").isEqualTo(at("2025-04-01T00:00:00Z"));
  }

  @Test
  void cronYearField() {
    final Schedule once = Schedule.parse("cron(0 12 1 1 ? 2030)");
    assertThat(once.next(at("2025-06-01T00:00:00Z"))).isEqualTo(at("2030-01-01T12:00:00Z"));
    assertThat(once.following(T0, at("2030-01-01T12:00:00Z"))).isEmpty();
    assertThatThrownBy(() -> once.next(at("2030-01-01T12:00:00Z"))).isInstanceOf(NoSuchElementException.class)
        .hasMessageContaining("never fires after");

    final Schedule everyOtherYear = Schedule.parse("cron(0 0 1 1 ? 2026-2030/2)");
    assertThat(everyOtherYear.next(T0)).isEqualTo(at("2026-01-01T00:00:00Z"));
    assertThat(everyOtherYear.next(at("2026-01-01T00:00:00Z"))).isEqualTo(at("2028-01-01T00:00:00Z"));
  }

  @Test
  void cronAfterTheLastYearNeverFires() {
    assertThat(Schedule.parse("cron(0 0 * * ? *)").following(T0, at("2199-12-31T00:00:00Z"))).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "''                         | not empty",
      "every 5 minutes            | rate(value unit)",
      "rate(5)                    | expected rate(value unit)",
      "rate(1 minutes)            | singular unit for 1",
      "rate(5 minute)             | singular unit for 1",
      "rate(0 minutes)            | between 1 and",
      "rate(-1 minutes)           | positive whole number",
      "rate(five minutes)         | positive whole number",
      "rate(2 weeks)              | unit must be",
      "cron(* * * * *)            | expected 6 fields",
      "cron(0 12 * * * *)         | exactly one of day-of-month and day-of-week",
      "cron(0 12 ? * ? *)         | exactly one of day-of-month and day-of-week",
      "cron(60 * * * ? *)         | minutes: 60 is outside 0-59",
      "cron(0 24 * * ? *)         | hours: 24 is outside 0-23",
      "cron(0 0 32 * ? *)         | day-of-month: 32 is outside 1-31",
      "cron(0 0 1 13 ? *)         | month: 13 is outside 1-12",
      "cron(0 0 ? * 0 *)          | day-of-week: 0 is outside 1-7",
      "cron(0 0 1 1 ? 2200)       | year: 2200 is outside 1970-2199",
      "cron(0 0 L * ? *)          | L, W and # are not supported",
      "cron(0 0 ? * 2#1 *)        | L, W and # are not supported",
      "cron(0 0 ? * FOO *)        | 'FOO' is not a number or name",
      "cron(5-1 * * * ? *)        | runs backwards",
      "cron(*/0 * * * ? *)        | step: 0 is outside",
      "cron(1,,2 * * * ? *)       | '' is not a number",
      "cron(0 0 30 2 ? *)         | matches no date",
      "cron(? 0 1 * ? *)          | only allowed in day-of-month or day-of-week"})
  void invalidExpressionsNameTheProblem(final String expression, final String message) {
    assertThatThrownBy(() -> Schedule.parse(expression)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }

  @Test
  void nullIsRejected() {
    assertThatThrownBy(() -> Schedule.parse(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void namesAndNumbersParseToTheSameRule() {
    assertThat(Schedule.parse("cron(0 9 ? * MON-FRI *)")).isEqualTo(Schedule.parse("cron(0 9 ? * MON-FRI *)"));
    assertThat(Schedule.parse("cron(0 9 ? * MON-FRI *)").rule()).isEqualTo(Schedule.parse("cron(0 9 ? * 2-6 *)").rule());
  }
}
