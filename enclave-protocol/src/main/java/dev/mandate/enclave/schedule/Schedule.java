package dev.mandate.enclave.schedule;

import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a recurring action runs, written in EventBridge's schedule expression forms:
 *
 * <ul>
 *   <li>{@code rate(N unit)}, unit {@code minute(s)}, {@code hour(s)} or {@code day(s)}, singular for
 *       1 and plural above, as EventBridge requires. {@code second(s)} is a Mandate extension for
 *       local runs and tests: in AWS the runner is itself invoked at most once a minute (EventBridge's
 *       minimum), so a seconds rate fires at most once per runner tick there.
 *   <li>{@code cron(minutes hours day-of-month month day-of-week year)}, AWS's six-field form, in UTC:
 *       {@code *}, numbers, lists {@code a,b}, ranges {@code a-b}, steps <code>&#42;/n</code>, {@code a/n}
 *       and {@code a-b/n}, month names {@code JAN-DEC}, day names {@code SUN-SAT} (1 = Sunday), and
 *       {@code ?} in exactly one of day-of-month and day-of-week (EventBridge refuses both set).
 *       {@code L}, {@code W} and {@code #} are not supported.
 * </ul>
 *
 * <p>Build one with {@link #parse}; the canonical constructor does not re-check that the rule matches
 * the expression.
 */
public record Schedule(String expression, Rule rule) {
  /** EventBridge accepts years up to this; a cron schedule never fires after it. */
  static final int LAST_YEAR = 2199;
  private static final int FIRST_YEAR = 1970;
  private static final int MAX_RATE_VALUE = 1_000_000;
  private static final Pattern FORM = Pattern.compile("(rate|cron)\\((.*)\\)", Pattern.DOTALL);
  private static final Map<String, ChronoUnit> UNITS = Map.of(
      "second", ChronoUnit.SECONDS, "minute", ChronoUnit.MINUTES, "hour", ChronoUnit.HOURS, "day", ChronoUnit.DAYS);
  private static final String[] MONTHS = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
  private static final String[] DAYS = {"SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"};

  /** How a schedule computes its fire times. */
  public sealed interface Rule permits Rate, Cron {}

  /** Every {@code period}, counted from an anchor (e.g. when the action was created). */
  public record Rate(Duration period) implements Rule {}

  /**
   * The allowed values of each cron field. {@code daysOfMonth} is empty when day-of-month is
   * {@code ?}, {@code daysOfWeek} (1 = Sunday .. 7 = Saturday) when day-of-week is.
   */
  public record Cron(Set<Integer> minutes, Set<Integer> hours, Set<Integer> daysOfMonth, Set<Integer> months,
      Set<Integer> daysOfWeek, Set<Integer> years) implements Rule {
    public Cron {
      minutes = Set.copyOf(minutes);
      hours = Set.copyOf(hours);
      daysOfMonth = Set.copyOf(daysOfMonth);
      months = Set.copyOf(months);
      daysOfWeek = Set.copyOf(daysOfWeek);
      years = Set.copyOf(years);
    }
  }

  /**
   * Parses an EventBridge schedule expression.
   *
   * @throws IllegalArgumentException naming what is wrong, for anything else
   */
  public static Schedule parse(final String expression) {
    if (expression == null || expression.isBlank()) {
      throw new IllegalArgumentException("schedule must be rate(...) or cron(...), not empty");
    }
    final String text = expression.strip();
    final Matcher form = FORM.matcher(text);
    if (!form.matches()) {
      throw new IllegalArgumentException("schedule must be rate(value unit) or cron(min hour dom month dow year), not '"
          + abbreviate(text) + "'");
    }
    final Rule rule = form.group(1).equals("rate") ? rate(form.group(2).strip()) : cron(form.group(2).strip());
    return new Schedule(text, rule);
  }

  /**
   * The first fire time strictly after {@code after}. A rate counts its periods from {@code after}
   * itself (so this is {@code after + period}); use {@link #next(Instant, Instant)} to keep a fixed
   * anchor.
   *
   * @throws NoSuchElementException if a cron schedule never fires again (see {@link #following})
   */
  public Instant next(final Instant after) {
    return next(after, after);
  }

  /**
   * The first fire time strictly after {@code after}: for a rate, {@code anchor + k * period} for the
   * smallest {@code k >= 0} that is later than {@code after}; a cron ignores {@code anchor}.
   *
   * @throws NoSuchElementException if a cron schedule never fires again (see {@link #following})
   */
  public Instant next(final Instant anchor, final Instant after) {
    return following(anchor, after).orElseThrow(() -> new NoSuchElementException(
        expression + " never fires after " + after));
  }

  /**
   * Like {@link #next(Instant, Instant)}, but empty when the schedule never fires again: a cron whose
   * year field lies in the past, or one that only matches after {@value #LAST_YEAR}.
   */
  public Optional<Instant> following(final Instant anchor, final Instant after) {
    return switch (rule) {
      case Rate rate -> Optional.of(nextRate(rate.period(), anchor, after));
      case Cron cron -> nextCron(cron, after);
    };
  }

  /** The period of a rate schedule; empty for cron. */
  public Optional<Duration> period() {
    return rule instanceof Rate rate ? Optional.of(rate.period()) : Optional.empty();
  }

  // --- rate ------------------------------------------------------------------------------------

  private static Rate rate(final String body) {
    final String[] parts = body.split("\\s+");
    if (parts.length != 2) {
      throw new IllegalArgumentException("rate(" + abbreviate(body) + "): expected rate(value unit), e.g. rate(5 minutes)");
    }
    final long value = rateValue(parts[0], body);
    final String unit = parts[1].toLowerCase(Locale.ROOT);
    final boolean plural = unit.endsWith("s");
    final ChronoUnit chrono = UNITS.get(plural ? unit.substring(0, unit.length() - 1) : unit);
    if (chrono == null) {
      throw new IllegalArgumentException("rate(" + abbreviate(body) + "): unit must be second(s), minute(s), hour(s) or day(s)");
    }
    if (plural != (value > 1)) {
      throw new IllegalArgumentException("rate(" + body + "): use the singular unit for 1 and the plural for more, "
          + "as EventBridge does");
    }
    return new Rate(Duration.of(value, chrono));
  }

  private static long rateValue(final String text, final String body) {
    if (!text.matches("[0-9]{1,7}")) {
      throw new IllegalArgumentException("rate(" + abbreviate(body) + "): value must be a positive whole number");
    }
    final long value = Long.parseLong(text);
    if (value < 1 || value > MAX_RATE_VALUE) {
      throw new IllegalArgumentException("rate(" + body + "): value must be between 1 and " + MAX_RATE_VALUE);
    }
    return value;
  }

  private static Instant nextRate(final Duration period, final Instant anchor, final Instant after) {
    if (after.isBefore(anchor)) {
      return anchor;
    }
    // Periods are whole seconds, so flooring the elapsed time to seconds does not change k.
    final long elapsedSeconds = Duration.between(anchor, after).getSeconds();
    final long periods = elapsedSeconds / period.getSeconds() + 1;
    return anchor.plus(period.multipliedBy(periods));
  }

  // --- cron ------------------------------------------------------------------------------------

  private static Cron cron(final String body) {
    final String[] fields = body.split("\\s+");
    if (fields.length != 6) {
      throw new IllegalArgumentException("cron(" + abbreviate(body) + "): expected 6 fields "
          + "(minutes hours day-of-month month day-of-week year), found " + fields.length);
    }
    final boolean anyDom = fields[2].equals("?");
    final boolean anyDow = fields[4].equals("?");
    if (anyDom == anyDow) {
      throw new IllegalArgumentException("cron(" + body + "): exactly one of day-of-month and day-of-week must be '?'");
    }
    final Cron cron = new Cron(
        field(fields[0], "minutes", 0, 59, null),
        field(fields[1], "hours", 0, 23, null),
        anyDom ? Set.of() : field(fields[2], "day-of-month", 1, 31, null),
        field(fields[3], "month", 1, 12, MONTHS),
        anyDow ? Set.of() : field(fields[4], "day-of-week", 1, 7, DAYS),
        field(fields[5], "year", FIRST_YEAR, LAST_YEAR, null));
    if (nextCron(cron, LocalDateTime.of(FIRST_YEAR, 1, 1, 0, 0).toInstant(ZoneOffset.UTC).minusSeconds(1)).isEmpty()) {
      throw new IllegalArgumentException("cron(" + body + "): matches no date (e.g. 30 FEB)");
    }
    return cron;
  }

  /** The values a field allows; {@code names[i]} is value {@code min + i} (case-insensitive). */
  private static Set<Integer> field(final String text, final String name, final int min, final int max,
      final String[] names) {
    if (text.equals("?")) {
      throw new IllegalArgumentException("cron " + name + ": '?' is only allowed in day-of-month or day-of-week");
    }
    final Set<Integer> values = new TreeSet<>();
    for (final String part : text.split(",", -1)) {
      addPart(part, name, min, max, names, values);
    }
    return values;
  }

  private static void addPart(final String part, final String name, final int min, final int max,
      final String[] names, final Set<Integer> values) {
    final int slash = part.indexOf('/');
    final String range = slash < 0 ? part : part.substring(0, slash);
    final int step = slash < 0 ? 1 : number(part.substring(slash + 1), name + " step", 1, max - min + 1, null);
    final int from;
    final int to;
    if (range.equals("*")) {
      from = min;
      to = max;
    } else if (range.indexOf('-') > 0) {
      from = number(range.substring(0, range.indexOf('-')), name, min, max, names);
      to = number(range.substring(range.indexOf('-') + 1), name, min, max, names);
      if (from > to) {
        throw new IllegalArgumentException("cron " + name + ": range '" + range + "' runs backwards");
      }
    } else {
      from = number(range, name, min, max, names);
      // "a/n" means from a to the end of the field, stepping n.
      to = slash < 0 ? from : max;
    }
    for (int value = from; value <= to; value += step) {
      values.add(value);
    }
  }

  private static int number(final String text, final String name, final int min, final int max, final String[] names) {
    if (names != null) {
      for (int i = 0; i < names.length; i++) {
        if (names[i].equalsIgnoreCase(text)) {
          return min + i;
        }
      }
    }
    if (!text.matches("[0-9]{1,4}")) {
      throw new IllegalArgumentException("cron " + name + ": '" + abbreviate(text) + "' is not a number"
          + (names == null ? "" : " or name") + " (L, W and # are not supported)");
    }
    final int value = Integer.parseInt(text);
    if (value < min || value > max) {
      throw new IllegalArgumentException("cron " + name + ": " + value + " is outside " + min + "-" + max);
    }
    return value;
  }

  /**
   * Walks forward from the next whole minute, jumping a whole year, month, day or hour whenever that
   * unit cannot match: at most a few thousand steps even for a date that exists once in 28 years.
   */
  private static Optional<Instant> nextCron(final Cron cron, final Instant after) {
    LocalDateTime t = LocalDateTime.ofInstant(after, ZoneOffset.UTC).truncatedTo(ChronoUnit.MINUTES).plusMinutes(1);
    while (t.getYear() <= LAST_YEAR) {
      if (!cron.years().contains(t.getYear())) {
        t = LocalDateTime.of(t.getYear() + 1, 1, 1, 0, 0);
      } else if (!cron.months().contains(t.getMonthValue())) {
        t = t.toLocalDate().withDayOfMonth(1).plusMonths(1).atStartOfDay();
      } else if (!dayMatches(cron, t.toLocalDate())) {
        t = t.toLocalDate().plusDays(1).atStartOfDay();
      } else if (!cron.hours().contains(t.getHour())) {
        t = t.truncatedTo(ChronoUnit.HOURS).plusHours(1);
      } else if (!cron.minutes().contains(t.getMinute())) {
        t = t.plusMinutes(1);
      } else {
        return Optional.of(t.toInstant(ZoneOffset.UTC));
      }
    }
    return Optional.empty();
  }

  private static boolean dayMatches(final Cron cron, final LocalDate date) {
    if (cron.daysOfMonth().isEmpty()) {
      return cron.daysOfWeek().contains(awsDayOfWeek(date.getDayOfWeek()));
    }
    return cron.daysOfMonth().contains(date.getDayOfMonth());
  }

  /** AWS numbers days 1 = Sunday .. 7 = Saturday; java.time 1 = Monday .. 7 = Sunday. */
  private static int awsDayOfWeek(final DayOfWeek day) {
    return day.getValue() % 7 + 1;
  }

  private static String abbreviate(final String text) {
    return text.length() <= 80 ? text : text.substring(0, 77) + "...";
  }
}
