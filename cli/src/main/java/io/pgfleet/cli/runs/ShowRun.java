package io.pgfleet.cli.runs;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgfleet.cli.client.ApiOptions;
import io.pgfleet.cli.client.ResultPrinter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code pgfleet runs show ID}. */
@Command(name = "show", mixinStandardHelpOptions = true, description = "One run and its events.")
final class ShowRun implements Callable<Integer> {
  @Mixin ApiOptions api;

  @Parameters(paramLabel = "COMMAND_ID", description = "The run's command id")
  String id;

  @Override
  public Integer call() throws Exception {
    JsonNode run =
        api.get("api/v1/runs/" + URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20"));
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
          e.path("time").asText(), e.path("outcome").asText(), EventSummary.of(e.path("data")));
    }
    return 0;
  }
}
