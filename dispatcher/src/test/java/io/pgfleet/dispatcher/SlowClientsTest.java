package io.pgfleet.dispatcher;

import static io.pgfleet.dispatcher.TestFleet.READER;
import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.runtime.config.MetricsSettings;
import io.pgfleet.runtime.http.HttpServerLimits;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Clients that send a request byte by byte or stall in its body, more of them than the API's and
 * the metrics endpoint's handler threads, keep nobody else from an answer for longer than the
 * request limit ({@link HttpServerLimits}), and the servers close their connections. Against a
 * running dispatcher; its own surefire execution runs it in a JVM with a 4 s limit (the JDK reads
 * the limit once per JVM), so it takes seconds, not the default's tens of seconds.
 */
@Tag("slow-clients")
class SlowClientsTest {
  private static final int API_THREADS = 8;
  private static final int METRICS_THREADS = 2;

  /** Room for a loaded machine between the server's close and the client seeing its answer. */
  private static final Duration SLACK = Duration.ofSeconds(2);

  private static TestFleet fleet;
  private static Dispatcher dispatcher;

  @BeforeAll
  static void start() {
    fleet = new TestFleet();
    dispatcher =
        fleet.startDispatcher(
            fleet
                .dispatcherConfig("dispatcher-slow-clients", Duration.ofHours(6), List.of())
                .withMetrics(new MetricsSettings(0)),
            Clock.systemUTC());
  }

  @AfterAll
  static void stop() throws Exception {
    fleet.close();
  }

  @Test
  void slow_clients_holding_every_handler_thread_delay_others_by_at_most_the_request_limit()
      throws Exception {
    // the execution sets only the request limit: the response limit is there because the servers
    // applied pgfleet's own before they were created
    assertThat(HttpServerLimits.responseTime()).contains(HttpServerLimits.DEFAULT_RESPONSE_TIME);
    Duration limit = HttpServerLimits.requestTime().orElseThrow();
    Duration tick = HttpServerLimits.checkInterval();
    Duration bound = limit.plus(tick).plus(SLACK);
    URI api = dispatcher.uri();
    InetSocketAddress apiAddress = new InetSocketAddress(api.getHost(), api.getPort());
    InetSocketAddress metricsAddress = new InetSocketAddress("127.0.0.1", dispatcher.metricsPort());
    long started = System.nanoTime();
    try (SlowClients apiHogs = SlowClients.start(apiAddress, "/api/v1/commands", 6, 3);
        // allowed to submit: these hold threads inside the API's own read of a command body
        SlowClients submitters =
            SlowClients.start(apiAddress, "/api/v1/commands", 0, 3, TestFleet.REQUESTER);
        SlowClients metricsHogs = SlowClients.start(metricsAddress, "/metrics", 2, 2)) {
      // Later than one tick after them (a request queued with them could be closed by the same
      // tick) and well before their limit.
      Thread.sleep(tick.plus(limit.minus(tick).dividedBy(2)).toMillis());
      assertThat(apiHogs.open() + submitters.open())
          .as("slow API connections open")
          .isGreaterThan(API_THREADS);
      assertThat(metricsHogs.open()).as("slow metrics connections").isGreaterThan(METRICS_THREADS);

      CompletableFuture<Timed> asked = get(api.resolve("/api/v1/targets"), bound);
      Timed metrics =
          get(URI.create("http://127.0.0.1:" + dispatcher.metricsPort() + "/metrics"), bound)
              .join();
      Timed targets = asked.join();

      assertThat(List.of(targets, metrics))
          .as("answers within %s (0: none)", bound)
          .extracting(Timed::status)
          .containsExactly(200, 200);
      assertThat(targets.took()).isLessThan(bound);
      assertThat(metrics.took()).isLessThan(bound);
      assertThat(apiHogs.awaitClosedByServer(left(bound, started))).as("API: %s", apiHogs).isTrue();
      assertThat(submitters.awaitClosedByServer(left(bound, started)))
          .as("API, with a token: %s", submitters)
          .isTrue();
      assertThat(metricsHogs.awaitClosedByServer(left(bound, started)))
          .as("metrics: %s", metricsHogs)
          .isTrue();
      System.out.printf(
          "limit %s, bound %s: /api/v1/targets answered in %d ms, /metrics in %d ms%nAPI: %s%n"
              + "API, with a token: %s%nmetrics: %s%n",
          limit,
          bound,
          targets.took().toMillis(),
          metrics.took().toMillis(),
          apiHogs,
          submitters,
          metricsHogs);
    }
  }

  private static Duration left(Duration bound, long startedNanos) {
    Duration left = bound.minusNanos(System.nanoTime() - startedNanos);
    return left.isNegative() ? Duration.ZERO : left;
  }

  record Timed(int status, Duration took) {}

  /** A GET on a new connection; status 0 when it is not answered within {@code bound}. */
  private static CompletableFuture<Timed> get(URI uri, Duration bound) {
    HttpRequest request =
        HttpRequest.newBuilder(uri)
            .header("Authorization", "Bearer " + READER)
            .timeout(bound)
            .build();
    long start = System.nanoTime();
    return HttpClient.newHttpClient()
        .sendAsync(request, HttpResponse.BodyHandlers.discarding())
        .handle(
            (response, failure) ->
                new Timed(
                    failure == null ? response.statusCode() : 0,
                    Duration.ofNanos(System.nanoTime() - start)));
  }
}
