package io.pgfleet.dispatcher.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Locale;

/**
 * The overall status of a health check and its worst finding. A health-check result lists its
 * findings in {@code data.findings} (or {@code data.statistics.findings}), each with a {@code
 * status} of ok, warning or critical.
 */
public record HealthSummary(String status, JsonNode worstFinding) {
  private static final List<String> SEVERITY = List.of("ok", "unknown", "warning", "critical");

  public static HealthSummary of(JsonNode data) {
    JsonNode findings = data.path("findings");
    if (!findings.isArray()) {
      findings = data.path("statistics").path("findings");
    }
    JsonNode worst = null;
    int worstRank = -1;
    for (JsonNode finding : findings) {
      int rank = rank(finding.path("status").asText());
      if (rank > worstRank) {
        worst = finding;
        worstRank = rank;
      }
    }
    if (worst == null) {
      String status = data.path("statistics").path("status").asText("unknown");
      return new HealthSummary(SEVERITY.contains(status) ? status : "unknown", null);
    }
    return new HealthSummary(SEVERITY.get(worstRank), worst);
  }

  private static int rank(String status) {
    int rank = SEVERITY.indexOf(status.toLowerCase(Locale.ROOT));
    return rank < 0 ? SEVERITY.indexOf("unknown") : rank;
  }
}
