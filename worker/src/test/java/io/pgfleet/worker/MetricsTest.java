package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Artifact;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.local.LocalKafka;
import io.pgfleet.local.Scrape;
import io.pgfleet.runtime.config.KafkaSettings;
import io.pgfleet.runtime.config.MetricsSettings;
import io.pgfleet.worker.config.WorkerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker's operations endpoint: metrics an operator can alert on, and honest probes. */
class MetricsTest {

  @Test
  void a_scrape_during_and_after_backups_shows_runs_bytes_breakers_lag_and_last_success()
      throws Exception {
    try (Fleet fleet = new Fleet("order_db", "payment_db")) {
      ResultStream results = fleet.results();
      CommandPublisher publisher = fleet.publisher();
      Worker worker =
          fleet.startWorker(
              WorkerConfigs.throttled(
                      fleet.workerConfig("worker-m", UnaryOperator.identity()), 100 * 1024)
                  .withMetrics(new MetricsSettings(0)));
      int port = worker.metricsPort();
      String orders = fleet.target("order_db");
      String payments = fleet.target("payment_db");
      Command first = Commands.backup(orders).build();
      Command second = Commands.backup(payments).build();
      Instant before = Instant.now();

      publisher.publish(first).join();
      publisher.publish(second).join();
      fleet.sendRaw(fleet.topics.commands(orders), new byte[] {(byte) 0xde, (byte) 0xad});
      results.awaitEvent(ResultStream.outcome(first.id(), Outcome.STARTED));
      List<Double> inFlightSeen = new ArrayList<>();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                inFlightSeen.add(Scrape.get(port, "/metrics").require("pgfleet_runs_in_flight"));
                return inFlightSeen.get(inFlightSeen.size() - 1) >= 1;
              });
      ResultEvent a = results.awaitTerminal(first.id());
      ResultEvent b = results.awaitTerminal(second.id());
      assertThat(List.of(a.outcome(), b.outcome())).containsOnly(Outcome.SUCCEEDED);

      Scrape after =
          await()
              .atMost(Duration.ofSeconds(10))
              .until(
                  () -> Scrape.get(port, "/metrics"),
                  s ->
                      s.require("pgfleet_runs_in_flight") == 0
                          && s.value("pgfleet_dlq_records_total").isPresent()
                          && s.value("pgfleet_consumer_lag_records", topic(fleet, orders))
                                  .orElse(-1)
                              == 0);
      assertThat(after.status()).isEqualTo(200);
      assertThat(
              after.require("pgfleet_runs_total", "operation=\"backup\"", "outcome=\"succeeded\""))
          .isEqualTo(2);
      assertThat(after.require("pgfleet_run_duration_seconds_count", "operation=\"backup\""))
          .isEqualTo(2);
      assertThat(after.require("pgfleet_run_duration_seconds_sum", "operation=\"backup\""))
          .isEqualTo((a.data().durationMs() + b.data().durationMs()) / 1000.0, within(0.01));
      assertThat(after.require("pgfleet_run_duration_seconds_bucket", "le=\"+Inf\"")).isEqualTo(2);
      assertThat(after.require("pgfleet_uploaded_bytes_total"))
          .isEqualTo(bytes(a) + bytes(b))
          .isGreaterThan(100_000);
      assertThat(after.require("pgfleet_retries_total", "operation=\"backup\"")).isZero();
      assertThat(after.require("pgfleet_dlq_records_total", "code=\"malformed_command\""))
          .isEqualTo(1);
      for (String target : List.of(orders, payments)) {
        String t = "target=\"" + target + "\"";
        assertThat(after.require("pgfleet_circuit_breaker_state", t, "state=\"closed\""))
            .isEqualTo(1);
        assertThat(after.require("pgfleet_circuit_breaker_state", t, "state=\"open\"")).isZero();
        assertThat(after.require("pgfleet_last_backup_success_timestamp_seconds", t))
            .isBetween((double) before.getEpochSecond(), (double) Instant.now().getEpochSecond());
      }
      assertThat(after.require("pgfleet_consumer_lag_records", topic(fleet, payments))).isZero();
      assertThat(Scrape.get(port, "/health/live").status()).isEqualTo(200);
    }
  }

  @Test
  void readiness_turns_503_while_kafka_is_down_and_200_when_it_returns(@TempDir Path dir)
      throws Exception {
    try (Fleet fleet = new Fleet("order_db");
        LocalKafka kafka = LocalKafka.start(dir.resolve("kafka"))) {
      WorkerConfig shared = fleet.workerConfig("worker-r", UnaryOperator.identity());
      KafkaSettings k = shared.kafka();
      Worker worker =
          fleet.startWorker(
              WorkerConfigs.kafka(
                      shared,
                      new KafkaSettings(
                          kafka.bootstrapServers(), k.topics(), k.groupId(), k.properties()))
                  .withMetrics(new MetricsSettings(0)));
      int port = worker.metricsPort();

      Scrape ready = awaitReady(port, 200);
      assertThat(ready.body())
          .contains("\"status\":\"ready\"", "\"kafka\":\"ok\"", "\"ledger\":\"ok\"");

      kafka.stop();
      Scrape down = awaitReady(port, 503);
      assertThat(down.body())
          .contains("\"status\":\"not ready\"", "\"ledger\":\"ok\"", "\"storage\":\"ok\"")
          .doesNotContain("\"kafka\":\"ok\"");
      assertThat(Scrape.get(port, "/health/live").status()).isEqualTo(200);

      kafka.restart();
      awaitReady(port, 200);
    }
  }

  private static Scrape awaitReady(int port, int status) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> Scrape.get(port, "/health/ready"), s -> s.status() == status);
  }

  private static org.assertj.core.data.Offset<Double> within(double d) {
    return org.assertj.core.data.Offset.offset(d);
  }

  private static String topic(Fleet fleet, String target) {
    return "topic=\"" + fleet.topics.commands(target) + "\"";
  }

  private static long bytes(ResultEvent end) {
    return end.data().artifacts().stream().mapToLong(Artifact::bytes).sum();
  }
}
