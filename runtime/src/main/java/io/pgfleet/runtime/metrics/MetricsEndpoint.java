package io.pgfleet.runtime.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.pgfleet.runtime.http.HttpServerLimits;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The operations endpoint of a worker or a dispatcher: {@code GET /metrics} (Prometheus text
 * format), {@code /health/live} (200 while the process serves) and {@code /health/ready} (200 or
 * 503 with each dependency's state as JSON), the shape Kubernetes probes and Prometheus scrapes
 * expect.
 */
public final class MetricsEndpoint implements AutoCloseable {
  private static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;
  private final Readiness readiness;

  private MetricsEndpoint(HttpServer server, Readiness readiness) {
    this.server = server;
    this.readiness = readiness;
  }

  /**
   * Checks {@code checks} every {@link ReadinessChecks#INTERVAL} for {@code /health/ready} and
   * listens on {@code port}; closing the endpoint stops the checks too.
   */
  public static MetricsEndpoint start(
      int port, Supplier<String> scrape, Map<String, Readiness.Check> checks) {
    Readiness readiness = new Readiness(checks, ReadinessChecks.INTERVAL, ReadinessChecks.TIMEOUT);
    try {
      return start(port, scrape, readiness);
    } catch (RuntimeException e) {
      readiness.close();
      throw e;
    }
  }

  /**
   * Listens on all interfaces at {@code port} (0: a free port).
   *
   * @param scrape the metrics in the Prometheus text format, asked for on each scrape
   */
  public static MetricsEndpoint start(int port, Supplier<String> scrape, Readiness readiness) {
    HttpServerLimits.apply();
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(port), 16);
      server.createContext("/metrics", ex -> send(ex, 200, PROMETHEUS_TEXT, scrape.get()));
      server.createContext(
          "/health/live", ex -> send(ex, 200, "application/json", "{\"status\":\"up\"}"));
      server.createContext("/health/ready", ex -> ready(ex, readiness.status()));
      server.setExecutor(Executors.newFixedThreadPool(2, MetricsEndpoint::daemon));
      server.start();
      return new MetricsEndpoint(server, readiness);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on port "
              + port
              + " for metrics: "
              + e.getMessage()
              + ". Free the port or set metrics.port to another one.",
          e);
    }
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void ready(HttpExchange ex, Readiness.Status status) throws IOException {
    String checks =
        status.checks().entrySet().stream()
            .map(e -> quote(e.getKey()) + ":" + quote(e.getValue()))
            .collect(Collectors.joining(","));
    String body =
        "{\"status\":"
            + quote(status.ready() ? "ready" : "not ready")
            + ",\"checks\":{"
            + checks
            + "}}";
    send(ex, status.ready() ? 200 : 503, "application/json", body);
  }

  private static void send(HttpExchange ex, int code, String type, String body) throws IOException {
    try (ex) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      ex.getResponseHeaders().set("Content-Type", type);
      if (!"GET".equals(ex.getRequestMethod()) && !"HEAD".equals(ex.getRequestMethod())) {
        ex.sendResponseHeaders(405, -1);
        return;
      }
      ex.sendResponseHeaders(code, bytes.length);
      try (OutputStream out = ex.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  /** Check names and their problems are our own words; only quotes and backslashes need care. */
  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "pgfleet-metrics-http");
    t.setDaemon(true);
    return t;
  }

  @Override
  public void close() {
    server.stop(0);
    readiness.close();
  }
}
