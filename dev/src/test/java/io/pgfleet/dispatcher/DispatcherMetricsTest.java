package io.pgfleet.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.dispatcher.schedule.CronCalendar;
import io.pgfleet.dispatcher.schedule.Schedule;
import io.pgfleet.dispatcher.schedule.TargetSelector;
import io.pgfleet.local.LocalKafka;
import io.pgfleet.local.LocalPostgres;
import io.pgfleet.local.Scrape;
import io.pgfleet.runtime.config.KafkaSettings;
import io.pgfleet.runtime.config.LedgerSettings;
import io.pgfleet.runtime.config.MetricsSettings;
import io.pgfleet.runtime.config.Secret;
import io.pgfleet.testing.SettableClock;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dispatcher's operations endpoint against the real local stack. */
class DispatcherMetricsTest {

  @Test
  void a_scrape_after_a_fire_and_api_calls_shows_fires_publishes_requests_leader_and_results()
      throws Exception {
    try (TestFleet fleet = new TestFleet("order_db")) {
      String target = fleet.target("order_db");
      fleet.stack.kafka().createTopic(fleet.topics.commands(target), 1);
      SettableClock clock =
          new SettableClock(Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(30));
      ObjectNode params = Json.mapper().createObjectNode().put("compressionLevel", 1);
      List<Schedule> schedules =
          List.of(
              new Schedule(
                  "every-minute",
                  CronCalendar.parse("* * * * *", ZoneOffset.UTC),
                  TargetSelector.everyTarget(),
                  "backup",
                  params,
                  Duration.ofHours(3)));
      Dispatcher leader = start(fleet, "dispatcher-a", schedules, clock);
      int port = leader.metricsPort();
      assertThat(leader.tick()).isZero(); // a new schedule starts from now
      Dispatcher follower = start(fleet, "dispatcher-b", schedules, clock);
      assertThat(follower.tick()).isZero();
      clock.advance(Duration.ofMinutes(1));
      assertThat(leader.tick()).isEqualTo(1);

      ApiClient api = new ApiClient(leader.uri());
      var submitted =
          api.post(
              TestFleet.REQUESTER,
              "/api/v1/commands",
              "{\"operation\":\"analyze\",\"target\":\"" + target + "\"}");
      assertThat(submitted.status()).isEqualTo(202);
      String analyzeId = submitted.body().get("commandId").asText();
      assertThat(api.get(TestFleet.READER, "/api/v1/runs/" + analyzeId).status()).isEqualTo(200);
      assertThat(api.get(null, "/api/v1/targets").status()).isEqualTo(401);
      FleetWorkers.start(fleet, "worker-m", Clock.systemUTC());

      Scrape after =
          await()
              .atMost(Duration.ofSeconds(90))
              .pollInterval(Duration.ofMillis(500))
              .until(
                  () -> Scrape.get(port, "/metrics"),
                  s -> s.value("pgfleet_results_projected_total", "succeeded").orElse(0) >= 2);
      assertThat(after.status()).isEqualTo(200);
      assertThat(after.require("pgfleet_schedule_fires_total", "schedule=\"every-minute\""))
          .isEqualTo(1);
      assertThat(after.require("pgfleet_schedule_missed_total", "schedule=\"every-minute\""))
          .isZero();
      assertThat(after.require("pgfleet_commands_published_total", op("backup"), "schedule\""))
          .isEqualTo(1);
      assertThat(after.require("pgfleet_commands_published_total", op("analyze"), "api\""))
          .isEqualTo(1);
      assertThat(
              after.require("pgfleet_command_publish_failures_total", op("backup"), "schedule\""))
          .isZero();
      assertThat(after.require("pgfleet_dispatcher_leader")).isEqualTo(1);
      assertThat(after.require("pgfleet_schedule_last_tick_timestamp_seconds"))
          .isEqualTo(clock.instant().getEpochSecond());
      assertThat(after.require("pgfleet_api_requests_total", route("/api/v1/commands"), "\"202\""))
          .isEqualTo(1);
      assertThat(after.require("pgfleet_api_requests_total", route("/api/v1/runs/{id}"), "\"200\""))
          .isEqualTo(1);
      assertThat(after.require("pgfleet_api_requests_total", route("/api/v1/targets"), "\"401\""))
          .isEqualTo(1);
      assertThat(after.require("pgfleet_results_projected_total", "outcome=\"started\""))
          .isGreaterThanOrEqualTo(2);

      Scrape followerScrape = Scrape.get(follower.metricsPort(), "/metrics");
      assertThat(followerScrape.require("pgfleet_dispatcher_leader")).isZero();
      assertThat(followerScrape.require("pgfleet_schedule_fires_total", "every-minute")).isZero();
      assertThat(Scrape.get(port, "/health/live").status()).isEqualTo(200);
      assertThat(Scrape.get(port, "/health/ready").body()).contains("\"status\":\"ready\"");
    }
  }

  @Test
  void readiness_turns_503_while_the_ledger_or_kafka_is_down_and_200_when_they_return(
      @TempDir Path dir) throws Exception {
    try (TestFleet fleet = new TestFleet();
        LocalKafka kafka = LocalKafka.start(dir.resolve("kafka"));
        LocalPostgres ledgerServer = LocalPostgres.start(dir.resolve("ledger"))) {
      DispatcherConfig shared =
          fleet.dispatcherConfig("dispatcher-r", Duration.ofHours(6), List.of());
      KafkaSettings k = shared.kafka();
      DispatcherConfig own =
          new DispatcherConfig(
                  shared.dispatcherId(),
                  new KafkaSettings(
                      kafka.bootstrapServers(), k.topics(), k.groupId(), k.properties()),
                  new LedgerSettings(
                      ledgerServer.jdbcUrl("postgres"),
                      ledgerServer.superuser(),
                      Secret.literal(ledgerServer.superuserPassword()),
                      2),
                  shared.listen(),
                  shared.tokens(),
                  shared.fleet(),
                  shared.scheduling(),
                  shared.schedules(),
                  null)
              .withMetrics(new MetricsSettings(0));
      Dispatcher dispatcher = fleet.startDispatcher(own, Clock.systemUTC());
      int port = dispatcher.metricsPort();
      assertThat(awaitReady(port, 200).body()).contains("\"kafka\":\"ok\"", "\"ledger\":\"ok\"");

      ledgerServer.stop();
      assertThat(awaitReady(port, 503).body())
          .contains("\"status\":\"not ready\"", "\"kafka\":\"ok\"")
          .doesNotContain("\"ledger\":\"ok\"");
      assertThat(Scrape.get(port, "/health/live").status()).isEqualTo(200);
      ledgerServer.start();
      awaitReady(port, 200);

      kafka.stop();
      assertThat(awaitReady(port, 503).body())
          .contains("\"ledger\":\"ok\"")
          .doesNotContain("\"kafka\":\"ok\"");
      kafka.restart();
      awaitReady(port, 200);
    }
  }

  private static Dispatcher start(
      TestFleet fleet, String id, List<Schedule> schedules, SettableClock clock) {
    return fleet.startDispatcher(
        fleet
            .dispatcherConfig(id, Duration.ofHours(6), schedules)
            .withMetrics(new MetricsSettings(0)),
        clock);
  }

  private static Scrape awaitReady(int port, int status) {
    return await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> Scrape.get(port, "/health/ready"), s -> s.status() == status);
  }

  private static String op(String operation) {
    return "operation=\"" + operation + "\"";
  }

  private static String route(String route) {
    return "route=\"" + route + "\"";
  }
}
