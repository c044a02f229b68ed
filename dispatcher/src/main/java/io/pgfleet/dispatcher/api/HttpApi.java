package io.pgfleet.dispatcher.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.dispatcher.fleet.FleetStatus;
import io.pgfleet.dispatcher.fleet.RunStore;
import io.pgfleet.dispatcher.metrics.DispatcherMetrics;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dispatcher's HTTP side, on the JDK's HTTP server with Jackson: the JSON API under {@code
 * /api/v1} (bearer tokens, problem details) and the status page at {@code /}.
 *
 * <pre>
 * POST /api/v1/commands        submit a command (requester; destructive ones: operator)
 * GET  /api/v1/runs            list runs: target, operation, status, from, to, limit
 * GET  /api/v1/runs/{id}       one run with its events
 * GET  /api/v1/targets         every target's backups, vacuum, health and running operations
 * GET  /api/v1/schedules       schedules with their next instants
 * </pre>
 */
public final class HttpApi implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpApi.class);
  private static final int MAX_BODY = 64 * 1024;
  private static final String RUNS = "/api/v1/runs/";
  private static final Set<String> ROUTES =
      Set.of("/api/v1/commands", "/api/v1/runs", "/api/v1/targets", "/api/v1/schedules");
  private static final Map<String, String> PAGE =
      Map.of(
          "/", "index.html:text/html",
          "/status.js", "status.js:text/javascript",
          "/status.css", "status.css:text/css");

  private final HttpServer server;
  private final ExecutorService executor;
  private final Authentication authentication;
  private final Submission submission;
  private final RunStore runs;
  private final FleetStatus status;
  private final ScheduleView schedules;
  private final Clock clock;
  private final DispatcherMetrics metrics;

  private HttpApi(
      InetSocketAddress listen,
      List<ApiToken> tokens,
      Submission submission,
      RunStore runs,
      FleetStatus status,
      ScheduleView schedules,
      Clock clock,
      DispatcherMetrics metrics)
      throws IOException {
    this.authentication = new Authentication(tokens);
    this.submission = submission;
    this.runs = runs;
    this.status = status;
    this.schedules = schedules;
    this.clock = clock;
    this.metrics = metrics;
    this.server = HttpServer.create(listen, 64);
    this.executor =
        Executors.newFixedThreadPool(
            8,
            r -> {
              Thread t = new Thread(r, "pgfleet-http");
              t.setDaemon(true);
              return t;
            });
    server.setExecutor(executor);
    server.createContext("/", this::handle);
    server.start();
  }

  /** Starts listening; port 0 picks a free port ({@link #uri()} says which). */
  public static HttpApi start(
      InetSocketAddress listen,
      List<ApiToken> tokens,
      io.pgfleet.dispatcher.send.CommandSender sender,
      RunStore runs,
      io.pgfleet.dispatcher.fleet.TargetDirectory directory,
      FleetStatus status,
      ScheduleView schedules,
      Clock clock,
      DispatcherMetrics metrics) {
    try {
      return new HttpApi(
          listen,
          tokens,
          new Submission(sender, runs, directory, clock),
          runs,
          status,
          schedules,
          clock,
          metrics);
    } catch (IOException e) {
      throw new IllegalStateException("cannot listen on " + listen + ": " + e.getMessage(), e);
    }
  }

  public URI uri() {
    InetSocketAddress a = server.getAddress();
    String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getHostString();
    return URI.create("http://" + host + ":" + a.getPort() + "/");
  }

  private void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    try {
      if (path.startsWith("/api/")) {
        api(exchange, path);
      } else {
        page(exchange, path);
      }
    } catch (Problem.Answer a) {
      send(exchange, a.problem().status(), Problem.MEDIA_TYPE, a.problem());
    } catch (RuntimeException e) {
      log.warn("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e);
      Problem p =
          Problem.of(500, "internal", "Internal error", "the dispatcher failed: " + e.getMessage());
      send(exchange, 500, Problem.MEDIA_TYPE, p);
    } finally {
      if (path.startsWith("/api/")) {
        metrics.apiRequest(route(path), exchange.getResponseCode());
      }
      exchange.close();
    }
  }

  /** The route a path matched, as a template: a bounded label value. */
  private static String route(String path) {
    if (path.startsWith(RUNS) && path.length() > RUNS.length()) {
      return RUNS + "{id}";
    }
    return ROUTES.contains(path) ? path : "other";
  }

  private void api(HttpExchange exchange, String path) throws IOException {
    String method = exchange.getRequestMethod();
    ApiToken caller;
    try {
      caller = authentication.require(exchange.getRequestHeaders().getFirst("Authorization"));
    } catch (Problem.Answer a) {
      exchange.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"pgfleet\"");
      throw a;
    }
    if (path.equals("/api/v1/commands")) {
      allow(method, "POST");
      Submission.Outcome outcome = submission.submit(caller, body(exchange));
      exchange.getResponseHeaders().add("Location", "/api/v1/runs/" + outcome.run().commandId());
      send(
          exchange, outcome.created() ? 202 : 200, "application/json", Submission.created(outcome));
    } else if (path.equals("/api/v1/runs")) {
      allow(method, "GET");
      ObjectNode out = Json.mapper().createObjectNode();
      out.set(
          "runs",
          Json.mapper()
              .valueToTree(runs.list(RunQuery.parse(exchange.getRequestURI().getRawQuery()))));
      send(exchange, 200, "application/json", out);
    } else if (path.startsWith(RUNS) && path.length() > RUNS.length()) {
      allow(method, "GET");
      String id = path.substring(RUNS.length());
      send(
          exchange,
          200,
          "application/json",
          runs.run(id)
              .orElseThrow(
                  () ->
                      Problem.of(404, "not-found", "Not found", "no run with command id " + id)
                          .answer()));
    } else if (path.equals("/api/v1/targets")) {
      allow(method, "GET");
      ObjectNode out = Json.mapper().createObjectNode();
      out.put("now", clock.instant().toString());
      out.set("targets", Json.mapper().valueToTree(status.targets()));
      send(exchange, 200, "application/json", out);
    } else if (path.equals("/api/v1/schedules")) {
      allow(method, "GET");
      ObjectNode out = Json.mapper().createObjectNode();
      out.set("schedules", Json.mapper().valueToTree(schedules.list()));
      send(exchange, 200, "application/json", out);
    } else {
      throw Problem.of(404, "not-found", "Not found", "no API at " + path).answer();
    }
  }

  private static void allow(String method, String allowed) {
    if (!method.equals(allowed)) {
      throw Problem.of(405, "method-not-allowed", "Method not allowed", "use " + allowed).answer();
    }
  }

  private static JsonNode body(HttpExchange exchange) throws IOException {
    byte[] bytes;
    try (InputStream in = exchange.getRequestBody()) {
      bytes = in.readNBytes(MAX_BODY + 1);
    }
    if (bytes.length > MAX_BODY) {
      throw Submission.invalid("/", "the body exceeds " + MAX_BODY + " bytes");
    }
    try {
      return Json.mapper().readTree(bytes);
    } catch (IOException e) {
      throw Submission.invalid("/", "not valid JSON");
    }
  }

  private void page(HttpExchange exchange, String path) throws IOException {
    String entry = PAGE.get(path);
    if (entry == null || !exchange.getRequestMethod().equals("GET")) {
      send(exchange, 404, "text/plain", null);
      return;
    }
    String[] file = entry.split(":");
    byte[] bytes;
    try (InputStream in =
        HttpApi.class.getResourceAsStream("/io/pgfleet/dispatcher/page/" + file[0])) {
      bytes = in.readAllBytes();
    }
    exchange.getResponseHeaders().add("Content-Type", file[1] + "; charset=utf-8");
    exchange.getResponseHeaders().add("Cache-Control", "no-cache");
    exchange.getResponseHeaders().add("Content-Security-Policy", "default-src 'self'");
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void send(HttpExchange exchange, int status, String type, Object body)
      throws IOException {
    byte[] bytes =
        body == null
            ? new byte[0]
            : Json.mapper().writeValueAsString(body).getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", type);
    exchange.getResponseHeaders().add("Cache-Control", "no-store");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
