package io.pgfleet.dispatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgfleet.commands.Operation;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.dispatcher.fleet.FleetSettings;
import io.pgfleet.dispatcher.fleet.TargetPolicy;
import io.pgfleet.dispatcher.schedule.CronCalendar;
import io.pgfleet.dispatcher.schedule.Schedule;
import io.pgfleet.dispatcher.schedule.TargetSelector;
import io.pgfleet.local.LocalPostgres;
import io.pgfleet.local.Scrape;
import io.pgfleet.runtime.config.MetricsSettings;
import io.pgfleet.runtime.config.Secret;
import io.pgfleet.testing.SettableClock;
import io.pgfleet.worker.Worker;
import io.pgfleet.worker.config.DiscoverySource;
import io.pgfleet.worker.config.TargetConfig;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A database only a worker's discovery knows of is scheduled by the dispatcher, and runs. */
class DiscoveredTargetScheduleTest {
  /** The dispatcher's re-reading of the command topics, short so the test waits little. */
  private static final Duration REFRESH = Duration.ofSeconds(1);

  @Test
  void a_database_created_while_both_run_is_scheduled_by_the_dispatcher_and_run_by_the_worker()
      throws Exception {
    try (TestFleet fleet = new TestFleet()) {
      LocalPostgres postgres = fleet.stack.postgres();
      Worker worker = FleetWorkers.startDiscovering(fleet, "worker-d", source(fleet, postgres));
      SettableClock clock =
          new SettableClock(Instant.now().truncatedTo(ChronoUnit.MINUTES).plusSeconds(30));
      Dispatcher dispatcher = fleet.startDispatcher(discovering(fleet, schedule()), clock);
      assertThat(dispatcher.tick()).isZero();
      assertThat(worker.targets()).isEmpty();

      String late = fleet.id + "_late_db";
      postgres.createDatabase(late, postgres.superuser());

      await().atMost(Duration.ofSeconds(20)).until(() -> worker.targets().contains(late));
      // The dispatcher re-reads the command topics every fleet.refresh of real time; its own clock
      // is moved only after it lists the target, so a command's time stays within the worker's
      // clock-skew tolerance.
      ApiClient api = new ApiClient(dispatcher.uri());
      await("the dispatcher lists the new target")
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> api.get(TestFleet.READER, "/api/v1/targets").body().toString().contains(late));
      await("the dispatcher fires for the new target")
          .atMost(Duration.ofSeconds(30))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () -> {
                clock.advance(Duration.ofMinutes(1));
                return dispatcher.tick() == 1;
              });
      await("the worker ran it")
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(500))
          .until(
              () ->
                  Scrape.get(dispatcher.metricsPort(), "/metrics")
                          .value("pgfleet_results_projected_total", "succeeded")
                          .orElse(0)
                      >= 1);
    }
  }

  private static DiscoverySource source(TestFleet fleet, LocalPostgres postgres) {
    return new DiscoverySource(
        "local",
        TargetConfig.builder("local")
            .host(postgres.host())
            .port(postgres.port())
            .database("postgres")
            .user(postgres.superuser())
            .password(Secret.literal(postgres.superuserPassword()))
            .sslMode("disable")
            .operations(EnumSet.of(Operation.ANALYZE))
            .build(),
        List.of(fleet.id + "_*"),
        List.of("*_ledger"),
        Duration.ofSeconds(1));
  }

  private static Schedule schedule() {
    return new Schedule(
        "analyze-services",
        CronCalendar.parse("* * * * *", ZoneOffset.UTC),
        TargetSelector.of(List.of("*_db")),
        "analyze",
        Json.mapper().createObjectNode(),
        Duration.ofHours(1));
  }

  /** The fleet's dispatcher, counting every target with a command topic (its default). */
  private static DispatcherConfig discovering(TestFleet fleet, Schedule schedule) {
    DispatcherConfig c =
        fleet.dispatcherConfig("dispatcher-d", Duration.ofHours(1), List.of(schedule));
    return new DispatcherConfig(
            c.dispatcherId(),
            c.kafka(),
            c.ledger(),
            c.listen(),
            c.tokens(),
            new FleetSettings(true, REFRESH, TargetPolicy.defaults(), Map.of()),
            c.scheduling(),
            c.schedules(),
            c.signer(),
            c.metrics())
        .withMetrics(new MetricsSettings(0));
  }
}
