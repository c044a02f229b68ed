package io.pgfleet.worker.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgfleet.commands.Durations;
import io.pgfleet.commands.Operation;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * Reads a target's {@code allow}, {@code timeouts} and {@code health} sections into {@link
 * MaintenanceSettings}; every mistake is reported with its path.
 */
final class MaintenanceConfig {
  private MaintenanceConfig() {}

  static MaintenanceSettings read(JsonNode root, String prefix, ConfigTree t) {
    return new MaintenanceSettings(
        t.bool(root, prefix + "allow.vacuumFull", false),
        t.bool(root, prefix + "allow.blockingReindex", false),
        t.bool(root, prefix + "allow.terminateBackends", false),
        t.bool(root, prefix + "allow.repack", false),
        timeouts(root, prefix + "timeouts", t),
        health(root, prefix + "health", t));
  }

  private static Map<Operation, Timeouts> timeouts(JsonNode root, String path, ConfigTree t) {
    Map<Operation, Timeouts> out = new EnumMap<>(Operation.class);
    t.node(root, path)
        .fieldNames()
        .forEachRemaining(
            name -> {
              String p = path + "." + name;
              Operation operation = Operation.fromWireName(name).orElse(null);
              if (operation == null) {
                t.problem(p + ": unknown operation; known: " + Operation.knownWireNames());
                return;
              }
              out.put(
                  operation,
                  new Timeouts(
                      optionalDuration(root, p + ".statement", t),
                      optionalDuration(root, p + ".lock", t)));
            });
    return out;
  }

  private static Duration optionalDuration(JsonNode root, String path, ConfigTree t) {
    String text = t.optionalString(root, path);
    if (text == null) {
      return null;
    }
    try {
      return Durations.parse(text);
    } catch (IllegalArgumentException e) {
      t.problem(path + ": " + e.getMessage());
      return null;
    }
  }

  private static Map<HealthLimit, HealthLimit.Level> health(
      JsonNode root, String path, ConfigTree t) {
    Map<HealthLimit, HealthLimit.Level> out = new EnumMap<>(HealthLimit.class);
    t.node(root, path)
        .fieldNames()
        .forEachRemaining(
            name -> {
              String p = path + "." + name;
              HealthLimit limit = HealthLimit.fromKey(name).orElse(null);
              if (limit == null) {
                t.problem(p + ": unknown health check");
                return;
              }
              HealthLimit.Level defaults = limit.defaults();
              Double warning = level(limit, root, p + ".warning", defaults.warning(), t);
              Double critical = level(limit, root, p + ".critical", defaults.critical(), t);
              try {
                out.put(limit, new HealthLimit.Level(warning, critical));
              } catch (IllegalArgumentException e) {
                t.problem(p + ": " + e.getMessage());
              }
            });
    return out;
  }

  private static Double level(
      HealthLimit limit, JsonNode root, String path, Double fallback, ConfigTree t) {
    String text = t.optionalString(root, path);
    if (text == null) {
      return fallback;
    }
    try {
      return limit.parse(text);
    } catch (IllegalArgumentException e) {
      t.problem(path + ": " + e.getMessage());
      return fallback;
    }
  }
}
