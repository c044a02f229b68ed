package io.pgfleet.dispatcher.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.dispatcher.fleet.FleetStatus;
import io.pgfleet.dispatcher.fleet.Run;
import io.pgfleet.dispatcher.fleet.RunStore;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** The JSON API under {@code /api/v1}: authenticates the caller, then answers one route. */
final class ApiRoutes {
  private static final String RUNS = "/api/v1/runs/";

  /** definitions.schema.json's commandId. */
  private static final Pattern COMMAND_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,127}");

  private static final Set<String> ROUTES =
      Set.of("/api/v1/commands", "/api/v1/runs", "/api/v1/targets", "/api/v1/schedules");

  private final Authentication authentication;
  private final Submission submission;
  private final RunStore runs;
  private final FleetStatus status;
  private final ScheduleView schedules;
  private final Clock clock;

  ApiRoutes(
      Authentication authentication,
      Submission submission,
      RunStore runs,
      FleetStatus status,
      ScheduleView schedules,
      Clock clock) {
    this.authentication = authentication;
    this.submission = submission;
    this.runs = runs;
    this.status = status;
    this.schedules = schedules;
    this.clock = clock;
  }

  /** The route a path matched, as a template: a bounded label value. */
  static String route(String path) {
    if (path.startsWith(RUNS) && path.length() > RUNS.length()) {
      return RUNS + "{id}";
    }
    return ROUTES.contains(path) ? path : "other";
  }

  void answer(HttpExchange exchange, String path) throws IOException {
    String method = exchange.getRequestMethod();
    ApiToken caller;
    try {
      caller = authentication.require(exchange.getRequestHeaders().getFirst("Authorization"));
    } catch (Problem.Answer a) {
      exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"pgfleet\"");
      throw a;
    }
    if (path.equals("/api/v1/commands")) {
      HttpJson.allow(method, "POST");
      Submission.Outcome outcome = submission.submit(caller, HttpJson.body(exchange));
      exchange.getResponseHeaders().add("Location", "/api/v1/runs/" + outcome.run().commandId());
      HttpJson.send(
          exchange, outcome.created() ? 202 : 200, "application/json", Submission.created(outcome));
    } else if (path.equals("/api/v1/runs")) {
      HttpJson.allow(method, "GET");
      ObjectNode out = Json.mapper().createObjectNode();
      out.set(
          "runs",
          Json.mapper()
              .valueToTree(runs.list(RunQuery.parse(exchange.getRequestURI().getRawQuery()))));
      HttpJson.send(exchange, 200, "application/json", out);
    } else if (path.startsWith(RUNS) && path.length() > RUNS.length()) {
      HttpJson.allow(method, "GET");
      String id = path.substring(RUNS.length());
      // what no command can be called is not looked up (PostgreSQL's text cannot even hold a NUL)
      Optional<Run> run = COMMAND_ID.matcher(id).matches() ? runs.run(id) : Optional.empty();
      HttpJson.send(
          exchange,
          200,
          "application/json",
          run.orElseThrow(
              () ->
                  Problem.of(404, "not-found", "Not found", "no run with command id " + id)
                      .answer()));
    } else if (path.equals("/api/v1/targets")) {
      HttpJson.allow(method, "GET");
      ObjectNode out = Json.mapper().createObjectNode();
      out.put("now", clock.instant().toString());
      out.set("targets", Json.mapper().valueToTree(status.targets()));
      HttpJson.send(exchange, 200, "application/json", out);
    } else if (path.equals("/api/v1/schedules")) {
      HttpJson.allow(method, "GET");
      ObjectNode out = Json.mapper().createObjectNode();
      out.set("schedules", Json.mapper().valueToTree(schedules.list()));
      HttpJson.send(exchange, 200, "application/json", out);
    } else {
      throw Problem.of(404, "not-found", "Not found", "no API at " + path).answer();
    }
  }
}
