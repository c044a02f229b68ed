package io.pgfleet.dispatcher.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.pgfleet.dispatcher.schedule.FireLog;
import io.pgfleet.dispatcher.schedule.Schedule;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The schedules as {@code GET /api/v1/schedules} shows them: config, next instants, last one. */
public final class ScheduleView {
  private final List<Schedule> schedules;
  private final FireLog fireLog;
  private final Clock clock;

  public ScheduleView(List<Schedule> schedules, FireLog fireLog, Clock clock) {
    this.schedules = List.copyOf(schedules);
    this.fireLog = fireLog;
    this.clock = clock;
  }

  /** One schedule. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Entry(
      String name,
      String cron,
      String zone,
      String targets,
      String operation,
      JsonNode params,
      String window,
      List<Instant> next,
      FireLog.Fire last) {}

  public List<Entry> list() {
    Instant now = clock.instant();
    Map<String, FireLog.Fire> last = fireLog.latest();
    return schedules.stream()
        .map(
            s ->
                new Entry(
                    s.name(),
                    s.calendar().expression(),
                    s.calendar().zone().getId(),
                    s.targets().toString(),
                    s.operation(),
                    s.params(),
                    s.window() == null ? null : s.window().toString(),
                    s.calendar().upcoming(now, 3),
                    last.get(s.name())))
        .toList();
  }
}
