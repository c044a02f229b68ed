package io.pgfleet.dispatcher.schedule;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One line of the maintenance calendar: at each instant of {@code calendar}, one command of {@code
 * operation} with {@code params} per selected target. The command's id is {@code
 * <name>:<target>:<instant>:<tag>} ({@link ScheduleIds}), so the same instant always produces the
 * same ids, which no producer can predict.
 *
 * @param operation any operation name; the schemas decide whether it and its params are valid
 * @param window how long after its instant a command may still start (its {@code expiresat}); null
 *     for no limit
 */
public record Schedule(
    String name,
    CronCalendar calendar,
    TargetSelector targets,
    String operation,
    ObjectNode params,
    Duration window) {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,39}");

  public Schedule {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "invalid schedule name '"
              + name
              + "': use 1-40 letters, digits, '_' or '-' (it becomes part of command ids)");
    }
    Objects.requireNonNull(calendar, "calendar");
    Objects.requireNonNull(targets, "targets");
    Objects.requireNonNull(operation, "operation");
    params = params == null ? null : params.deepCopy();
  }

  /** The readable part of this schedule's command id for one target and instant. */
  public String commandId(String target, Instant instant) {
    return name + ":" + target + ":" + instant;
  }

  public String source() {
    return "urn:pgfleet:schedule:" + name;
  }

  public Optional<Instant> expiresAt(Instant instant) {
    return Optional.ofNullable(window).map(instant::plus);
  }
}
