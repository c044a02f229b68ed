package io.pgfleet.dispatcher;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgfleet.dispatcher.schedule.CronCalendar;
import io.pgfleet.dispatcher.schedule.Schedule;
import io.pgfleet.dispatcher.schedule.TargetSelector;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of {@code schedules:} as written (the schema has checked its keys and types), and the
 * {@link Schedule} it stands for: its time zone resolved, its cron parsed, its targets a selector.
 */
record ScheduleFile(
    String name,
    String cron,
    String zone,
    JsonNode targets,
    String operation,
    ObjectNode params,
    Duration window) {
  Schedule schedule() {
    ZoneId z;
    try {
      z = ZoneId.of(zone == null ? "UTC" : zone);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException("zone: unknown time zone '" + zone + "'");
    }
    return new Schedule(name, CronCalendar.parse(cron, z), selector(), operation, params, window);
  }

  private TargetSelector selector() {
    if (targets.isTextual() && targets.asText().equals("all")) {
      return TargetSelector.everyTarget();
    }
    List<String> patterns = new ArrayList<>();
    if (targets.isArray()) {
      targets.forEach(n -> patterns.add(n.asText()));
    } else {
      patterns.add(targets.asText());
    }
    return TargetSelector.of(patterns);
  }
}
