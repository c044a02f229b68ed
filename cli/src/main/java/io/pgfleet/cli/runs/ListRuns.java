package io.pgfleet.cli.runs;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgfleet.cli.client.ApiOptions;
import io.pgfleet.cli.client.TargetFilter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pgfleet runs list}. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "Runs, newest first.")
final class ListRuns implements Callable<Integer> {
  @Mixin ApiOptions api;

  @Mixin TargetFilter only;

  @Option(names = "--operation", description = "Only this operation, e.g. backup")
  String operation;

  @Option(
      names = "--status",
      description = "queued, running, succeeded, failed, rejected or expired")
  String status;

  @Option(names = "--since", description = "Only runs requested within this time, e.g. 24h")
  Duration since;

  @Option(
      names = "--limit",
      defaultValue = "50",
      description = "At most this many (default: ${DEFAULT-VALUE})")
  int limit;

  @Override
  public Integer call() throws Exception {
    StringBuilder query = new StringBuilder("api/v1/runs?limit=").append(limit);
    param(query, "target", only.target());
    param(query, "operation", operation);
    param(query, "status", status);
    param(query, "from", since == null ? null : Instant.now().minus(since).toString());
    JsonNode runs = api.get(query.toString()).get("runs");
    System.out.printf(
        "%-20s  %-10s  %-22s  %-13s  %s%n",
        "REQUESTED", "STATUS", "TARGET", "OPERATION", "COMMAND ID");
    for (JsonNode r : runs) {
      System.out.printf(
          "%-20s  %-10s  %-22s  %-13s  %s%n",
          r.path("requestedAt").asText().replace('T', ' ').replaceAll("\\.\\d+", ""),
          r.path("status").asText(),
          r.path("target").asText(),
          r.path("operation").asText(),
          r.path("commandId").asText());
    }
    if (runs.isEmpty()) {
      System.out.println("(no runs)");
    }
    return 0;
  }

  private static void param(StringBuilder query, String name, String value) {
    if (value != null) {
      query
          .append('&')
          .append(name)
          .append('=')
          .append(URLEncoder.encode(value, StandardCharsets.UTF_8));
    }
  }
}
