package io.pgfleet.dispatcher.api;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pgfleet.dispatcher.fleet.FleetStatus;
import io.pgfleet.dispatcher.fleet.RunStore;
import io.pgfleet.dispatcher.metrics.DispatcherMetrics;
import io.pgfleet.runtime.http.HttpServerLimits;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.util.List;
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

  private final HttpServer server;
  private final ExecutorService executor;
  private final ApiRoutes api;
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
    this.api =
        new ApiRoutes(new Authentication(tokens), submission, runs, status, schedules, clock);
    this.metrics = metrics;
    HttpServerLimits.apply();
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
        api.answer(exchange, path);
      } else {
        StatusPage.serve(exchange, path);
      }
    } catch (Problem.Answer a) {
      HttpJson.send(exchange, a.problem().status(), Problem.MEDIA_TYPE, a.problem());
    } catch (RuntimeException e) {
      log.warn("{} {} failed", exchange.getRequestMethod(), exchange.getRequestURI().getPath(), e);
      Problem p =
          Problem.of(500, "internal", "Internal error", "the dispatcher failed: " + e.getMessage());
      HttpJson.send(exchange, 500, Problem.MEDIA_TYPE, p);
    } finally {
      if (path.startsWith("/api/")) {
        metrics.apiRequest(ApiRoutes.route(path), exchange.getResponseCode());
      }
      exchange.close();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
