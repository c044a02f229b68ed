package io.pgfleet.dispatcher.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.definition.CronDefinition;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.field.CronFieldName;
import com.cronutils.model.field.expression.Always;
import com.cronutils.model.field.expression.FieldExpression;
import com.cronutils.model.field.expression.QuestionMark;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * When a schedule fires: a five-field cron expression (minute hour day-of-month month day-of-week)
 * read against the wall clock of a time zone. Besides the usual lists, ranges and steps, {@code
 * SUN#1} means the first Sunday of the month, {@code L} the last day, and month and day names are
 * allowed: {@code 0 4 ? * SUN#1} is "first Sunday of the month at 04:00", {@code 0 6 ?
 * JAN,APR,JUL,OCT SUN#1} "quarterly".
 *
 * <p>Daylight saving time: a wall time that does not exist on a day (skipped by the clock moving
 * forward) fires at the same time shifted by the gap, 02:30 becomes 03:30; a wall time that happens
 * twice (the clock moving back) fires once, at its first occurrence.
 */
public final class CronCalendar {
  private static final CronDefinition DEFINITION =
      CronDefinitionBuilder.defineCron()
          .withMinutes()
          .withValidRange(0, 59)
          .and()
          .withHours()
          .withValidRange(0, 23)
          .and()
          .withDayOfMonth()
          .withValidRange(1, 31)
          .supportsL()
          .supportsW()
          .supportsLW()
          .supportsQuestionMark()
          .and()
          .withMonth()
          .withValidRange(1, 12)
          .and()
          .withDayOfWeek()
          .withValidRange(0, 7)
          .withMondayDoWValue(1)
          .withIntMapping(7, 0)
          .supportsHash()
          .supportsL()
          .supportsQuestionMark()
          .and()
          .instance();
  private static final CronParser PARSER = new CronParser(DEFINITION);

  private final String expression;
  private final ZoneId zone;
  private final ExecutionTime wallClock;

  private CronCalendar(String expression, ZoneId zone, ExecutionTime wallClock) {
    this.expression = expression;
    this.zone = zone;
    this.wallClock = wallClock;
  }

  /**
   * Parses a cron expression, or throws saying what is wrong with it.
   *
   * @throws IllegalArgumentException for a malformed expression, or one that restricts both the day
   *     of the month and the day of the week (classic cron ORs them, which surprises people: write
   *     {@code SUN#1} for "first Sunday")
   */
  public static CronCalendar parse(String expression, ZoneId zone) {
    Cron cron;
    try {
      cron = PARSER.parse(expression.trim());
      cron.validate();
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "invalid cron expression '"
              + expression
              + "' (minute hour day-of-month month day-of-week): "
              + e.getMessage());
    }
    if (restricts(cron, CronFieldName.DAY_OF_MONTH) && restricts(cron, CronFieldName.DAY_OF_WEEK)) {
      throw new IllegalArgumentException(
          "cron expression '"
              + expression
              + "' restricts both day-of-month and day-of-week; restrict one and write * or ? in"
              + " the other (e.g. '0 4 ? * SUN#1' for the first Sunday of the month)");
    }
    return new CronCalendar(expression.trim(), zone, ExecutionTime.forCron(cron));
  }

  private static boolean restricts(Cron cron, CronFieldName field) {
    FieldExpression e = cron.retrieve(field).getExpression();
    return !(e instanceof Always) && !(e instanceof QuestionMark);
  }

  public String expression() {
    return expression;
  }

  public ZoneId zone() {
    return zone;
  }

  /** The first instant strictly after {@code after} at which the schedule fires. */
  public Optional<Instant> next(Instant after) {
    LocalDateTime wall = after.atZone(zone).toLocalDateTime();
    // Wall times of a day with a DST change can map to an instant at or before `after`; skip them.
    for (int guard = 0; guard < 1_000; guard++) {
      Optional<ZonedDateTime> candidate = wallClock.nextExecution(wall.atZone(ZoneOffset.UTC));
      if (candidate.isEmpty()) {
        return Optional.empty();
      }
      wall = candidate.get().toLocalDateTime();
      Instant at = ZonedDateTime.ofLocal(wall, zone, null).toInstant();
      if (at.isAfter(after)) {
        return Optional.of(at);
      }
    }
    return Optional.empty();
  }

  /** Every instant in {@code (after, until]}, oldest first, at most {@code limit} of them. */
  public List<Instant> between(Instant after, Instant until, int limit) {
    List<Instant> out = new ArrayList<>();
    Instant cursor = after;
    while (out.size() < limit) {
      Optional<Instant> next = next(cursor);
      if (next.isEmpty() || next.get().isAfter(until)) {
        break;
      }
      out.add(next.get());
      cursor = next.get();
    }
    return out;
  }

  /** The next {@code count} instants after {@code after}. */
  public List<Instant> upcoming(Instant after, int count) {
    return between(after, Instant.MAX, count);
  }

  @Override
  public String toString() {
    return expression + " (" + zone + ")";
  }
}
