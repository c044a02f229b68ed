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
  private static final Set<String> IDENTITY =
      Set.of("host", "port", "database", "user", "password");

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
                      String deviation = summary(key) + " (" + origin + ")";
                      if (!deviations.contains(deviation)) {
                        deviations.add(deviation);
                      }
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

  /** A purge policy drifts as a whole: {@code purgePolicies.audit-archive}, not its columns. */
  private static String summary(String key) {
    String[] parts = key.split("\\.");
    return parts[0].equals("purgePolicies") && parts.length > 2 ? parts[0] + "." + parts[1] : key;
  }

  private static String value(JsonNode target, String dotted) {
    JsonNode node = target;
    for (String part : dotted.split("\\.")) {
      node = node.path(part);
    }
    return node.toString().replace("\"", "");
  }
}
