package io.pgfleet.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code pgfleet runs list|show}: what the fleet did, from the dispatcher's API. */
@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    description = "Lists runs, or shows one with its events, from a dispatcher.",
    subcommands = {RunsCommand.ListRuns.class, RunsCommand.Show.class})
final class RunsCommand {

  /** {@code pgfleet runs list}. */
  @Command(name = "list", mixinStandardHelpOptions = true, description = "Runs, newest first.")
  static final class ListRuns implements Callable<Integer> {
    @Mixin ApiOptions api;

    @Option(
        names = {"-t", "--target"},
        description = "Only this target")
    String target;

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
      param(query, "target", target);
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

  /** {@code pgfleet runs show ID}. */
  @Command(name = "show", mixinStandardHelpOptions = true, description = "One run and its events.")
  static final class Show implements Callable<Integer> {
    @Mixin ApiOptions api;

    @Parameters(paramLabel = "COMMAND_ID", description = "The run's command id")
    String id;

    @Override
    public Integer call() throws Exception {
      JsonNode run =
          api.get(
              "api/v1/runs/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"));
      for (String field :
          new String[] {
            "commandId",
            "target",
            "operation",
            "status",
            "source",
            "requestedAt",
            "startedAt",
            "finishedAt",
            "expiresAt",
            "attempt",
            "worker"
          }) {
        if (run.hasNonNull(field)) {
          System.out.printf("%-12s %s%n", field, run.get(field).asText());
        }
      }
      if (run.hasNonNull("error")) {
        System.out.printf(
            "%-12s %s: %s%n",
            "error", run.at("/error/code").asText(), run.at("/error/message").asText());
      }
      for (JsonNode a : run.path("artifacts")) {
        System.out.printf(
            "%-12s %s (%s, sha256 %s)%n",
            "artifact",
            a.path("uri").asText(),
            ResultPrinter.bytes(a.path("bytes").asLong()),
            a.path("sha256").asText());
      }
      System.out.println("events:");
      for (JsonNode e : run.path("events")) {
        System.out.printf(
            "  %s  %-9s %s%n",
            e.path("time").asText(), e.path("outcome").asText(), summary(e.path("data")));
      }
      return 0;
    }

    private static String summary(JsonNode data) {
      if (data.has("progress")) {
        return ResultPrinter.bytes(data.at("/progress/bytesDone").asLong());
      }
      if (data.has("error")) {
        return data.at("/error/code").asText() + ": " + data.at("/error/message").asText();
      }
      if (data.has("original")) {
        return "already " + data.at("/original/outcome").asText();
      }
      return data.has("worker")
          ? "attempt " + data.path("attempt").asText("1") + " on " + data.get("worker").asText()
          : "";
    }
  }
}
