package io.pgfleet.worker.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgfleet.commands.Operation;
import io.pgfleet.runtime.config.SettingsBinder;
import java.util.EnumMap;
import java.util.Map;

/** A target's {@code allow}, {@code timeouts} and {@code health} sections as written. */
record MaintenanceFile(Allow allow, Map<String, Timeouts> timeouts, Map<String, Level> health) {

  record Allow(
      Boolean vacuumFull, Boolean blockingReindex, Boolean terminateBackends, Boolean repack) {}

  /** Thresholds as written: numbers, durations, sizes, or off. */
  record Level(JsonNode warning, JsonNode critical) {}

  MaintenanceSettings settings(String path, SettingsBinder b) {
    Allow a = allow == null ? new Allow(null, null, null, null) : allow;
    Map<Operation, Timeouts> byOperation = new EnumMap<>(Operation.class);
    if (timeouts != null) {
      timeouts.forEach((op, t) -> byOperation.put(Operation.fromWireName(op).orElseThrow(), t));
    }
    Map<HealthLimit, HealthLimit.Level> limits = new EnumMap<>(HealthLimit.class);
    if (health != null) {
      health.forEach(
          (key, level) -> {
            HealthLimit limit = HealthLimit.fromKey(key).orElseThrow();
            String p = path + ".health." + key;
            Double warning = b.attempt(p + ".warning", () -> parse(limit, level.warning(), true));
            Double critical =
                b.attempt(p + ".critical", () -> parse(limit, level.critical(), false));
            HealthLimit.Level built = b.attempt(p, () -> new HealthLimit.Level(warning, critical));
            if (built != null) {
              limits.put(limit, built);
            }
          });
    }
    return new MaintenanceSettings(
        Boolean.TRUE.equals(a.vacuumFull()),
        Boolean.TRUE.equals(a.blockingReindex()),
        Boolean.TRUE.equals(a.terminateBackends()),
        Boolean.TRUE.equals(a.repack()),
        byOperation,
        limits);
  }

  private static Double parse(HealthLimit limit, JsonNode value, boolean warning) {
    if (value == null || value.isNull()) {
      return warning ? limit.defaults().warning() : limit.defaults().critical();
    }
    return limit.parse(value.asText());
  }
}
