package io.pgfleet.runtime.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * What {@code pgfleet config check} prints: each target's effective settings with where each value
 * came from, and the targets whose settings deviate from the defaults (policy drift). Connection
 * and credential settings are a target's own by nature and are not drift.
 */
public final class FleetReport {
  private static final Set<String> IDENTITY = Set.of("host", "port", "database", "user", "password");

  private FleetReport() {}

  /** The report of a file already read; {@code problems} receives what is wrong with it. */
  public static List<String> lines(ObjectNode file, List<String> problems) {
    problems.addAll(ConfigSchema.problems(file, "pgfleet"));
    FleetInheritance.Effective effective = FleetInheritance.resolve(file, problems);
    List<String> out = new ArrayList<>();
    List<String> drift = new ArrayList<>();
    effective
        .origins()
        .forEach(
            (target, origins) -> {
              out.add(target + ":");
              JsonNode node = effective.root().path("targets").path(target);
              List<String> deviations = new ArrayList<>();
              origins.forEach(
                  (key, origin) -> {
                    out.add("  " + key + ": " + value(node, key) + "   (" + origin + ")");
                    if (!origin.equals("defaults") && !IDENTITY.contains(key.split("\\.")[0])) {
                      deviations.add(key + " (" + origin + ")");
                    }
                  });
              if (!deviations.isEmpty()) {
                drift.add("  " + target + ": " + String.join(", ", deviations));
              }
            });
    out.add(
        drift.isEmpty()
            ? "policy drift: none, every target has the defaults' settings"
            : "policy drift: " + drift.size() + " target(s) deviate from the defaults");
    out.addAll(drift);
    return out;
  }

  private static String value(JsonNode target, String dotted) {
    JsonNode node = target;
    for (String part : dotted.split("\\.")) {
      node = node.path(part);
    }
    return node.toString().replace("\"", "");
  }

}
