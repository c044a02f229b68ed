package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgfleet.commands.AnalyzeParams;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.local.LocalPostgres;
import io.pgfleet.local.Scrape;
import io.pgfleet.runtime.config.MetricsSettings;
import io.pgfleet.runtime.config.Secret;
import io.pgfleet.worker.config.DiscoverySource;
import io.pgfleet.worker.config.MaintenanceSettings;
import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.config.Timeouts;
import io.pgfleet.worker.config.WorkerConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A worker that discovers its targets on a server: databases created while it runs are served,
 * dropped ones are retired with a notice, and a configured target of the same name keeps its own
 * settings.
 */
class DiscoveryTest {
  private static final Duration FEW_REFRESHES = Duration.ofSeconds(20);
  private static Fleet fleet;
  private static LocalPostgres postgres;
  private static Worker worker;
  private static ResultStream results;
  private static CommandPublisher publisher;

  @BeforeAll
  static void startWorker() {
    fleet = new Fleet("order_db");
    postgres = fleet.stack.postgres();
    DiscoverySource local =
        source("local", postgres.superuser(), postgres.superuserPassword(), fleet.id + "_*");
    results = fleet.results();
    publisher = fleet.publisher();
    worker =
        fleet.startWorker(
            fleet
                .workerConfig(
                    "worker-d",
                    t -> t.toBuilder().operations(Set.of(Operation.HEALTH_CHECK)).build())
                .withDiscovery(List.of(local))
                .withMetrics(new MetricsSettings(0)));
  }

  @AfterAll
  static void stop() throws Exception {
    fleet.close();
  }

  @Test
  void a_database_created_after_start_is_served_within_a_few_refreshes() {
    String late = fleet.id + "_late_db";
    assertThat(worker.targets()).doesNotContain(late);

    postgres.createDatabase(late, postgres.superuser());

    await().atMost(FEW_REFRESHES).until(() -> worker.targets().contains(late));
    ResultEvent end = run(Commands.of(Operation.ANALYZE, late, AnalyzeParams.defaults()).build());
    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
    assertThat(end.data().statistics()).containsEntry("scope", "database");
  }

  @Test
  void a_dropped_database_is_retired_with_a_metric_and_a_status_entry_and_served_again_if_back() {
    String gone = fleet.id + "_gone_db";
    postgres.createDatabase(gone, postgres.superuser());
    await().atMost(FEW_REFRESHES).until(() -> worker.targets().contains(gone));
    double before = retiredTotal();

    postgres.execute("postgres", "DROP DATABASE " + gone + " WITH (FORCE)");

    await().atMost(FEW_REFRESHES).until(() -> !worker.targets().contains(gone));
    assertThat(worker.retired()).containsKey(gone);
    assertThat(worker.retired().get(gone).server()).isEqualTo("local");
    await().atMost(Duration.ofSeconds(5)).until(() -> retiredTotal() == before + 1);

    postgres.createDatabase(gone, postgres.superuser());
    await().atMost(FEW_REFRESHES).until(() -> worker.targets().contains(gone));
    assertThat(worker.retired()).doesNotContainKey(gone);
    ResultEvent end = run(Commands.of(Operation.ANALYZE, gone, AnalyzeParams.defaults()).build());
    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
  }

  @Test
  void a_run_in_flight_on_a_target_that_is_retired_finishes_and_reports_its_result()
      throws Exception {
    String closing = fleet.id + "_closing_db";
    postgres.createDatabase(closing, postgres.superuser());
    postgres.execute(closing, "CREATE TABLE held (id int)");
    await().atMost(FEW_REFRESHES).until(() -> worker.targets().contains(closing));
    try (Connection holder = postgres.connect(closing);
        Statement st = holder.createStatement()) {
      holder.setAutoCommit(false);
      st.execute("LOCK TABLE held IN ACCESS EXCLUSIVE MODE");
      Command analyze =
          Commands.of(Operation.ANALYZE, closing, new AnalyzeParams(List.of("held"))).build();
      publisher.publish(analyze).join();
      await().atMost(FEW_REFRESHES).until(() -> waitingForLock(closing) == 1);
      int rebalances = worker.rebalances();

      // no new connections: the database leaves the list, its session stays
      postgres.execute("postgres", "ALTER DATABASE " + closing + " ALLOW_CONNECTIONS false");
      await().atMost(FEW_REFRESHES).until(() -> worker.retired().containsKey(closing));
      Thread.sleep(3_000); // three refreshes of the list: the topic would be gone by now
      assertThat(worker.rebalances())
          .as("the topic stays while its run executes: only its owner can publish the result")
          .isEqualTo(rebalances);
      assertThat(results.eventsFor(analyze.id())).noneMatch(e -> e.outcome().isTerminal());
      holder.rollback();

      ResultEvent end = results.awaitTerminal(analyze.id());
      assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
      await("then its topic is taken from the worker")
          .atMost(FEW_REFRESHES)
          .until(() -> worker.rebalances() > rebalances);
    }
  }

  @Test
  void a_configured_target_of_the_same_name_keeps_its_own_settings() {
    String orders = fleet.target("order_db");
    assertThat(worker.targets()).contains(orders);

    ResultEvent analyze =
        run(Commands.of(Operation.ANALYZE, orders, AnalyzeParams.defaults()).build());

    assertThat(analyze.outcome()).isEqualTo(Outcome.REJECTED);
    assertThat(analyze.data().error().code()).isEqualTo("OPERATION_NOT_ALLOWED");
  }

  @Test
  void the_maintenance_and_excluded_databases_are_never_targets() {
    assertThat(worker.targets()).doesNotContain("postgres", fleet.ledgerDatabase);
    assertThat(
            Scrape.get(worker.metricsPort(), "/metrics")
                .require("pgfleet_discovery_targets", "server=\"local\""))
        .isGreaterThanOrEqualTo(1);
  }

  @Test
  void a_server_that_cannot_be_read_retires_nothing_and_readiness_says_why() {
    String finder = fleet.id + "_finder";
    String kept = fleet.id + "_kept_db";
    postgres.createRole(finder, "first-password");
    postgres.createDatabase(kept, postgres.superuser());
    WorkerConfig base = fleet.workerConfig("worker-o", t -> t);
    Worker other =
        fleet.startWorker(
            new WorkerConfig(
                base.workerId(),
                fleet.kafka("others"), // its own group, serving only what it discovers
                base.ledger(),
                base.storage(),
                base.runs(),
                base.security(),
                Map.of(),
                base.encryption(),
                new MetricsSettings(0),
                List.of(source("finder", finder, "first-password", kept))));
    int port = other.metricsPort();
    assertThat(other.targets()).contains(kept);
    await().atMost(FEW_REFRESHES).until(() -> discoveryReadiness(port).equals("ok"));

    postgres.createRole(finder, "changed-password"); // the worker's password no longer works

    await()
        .atMost(FEW_REFRESHES)
        .until(() -> discoveryReadiness(port).startsWith("finder: cannot list its databases"));
    assertThat(Scrape.get(port, "/metrics").require("pgfleet_discovery_failures_total", "finder"))
        .isGreaterThanOrEqualTo(1);
    assertThat(other.targets()).contains(kept);
    assertThat(other.retired()).isEmpty();

    postgres.createRole(finder, "first-password");
    await().atMost(FEW_REFRESHES).until(() -> discoveryReadiness(port).equals("ok"));
    assertThat(other.targets()).contains(kept);
  }

  private static String discoveryReadiness(int port) throws Exception {
    var checks = Json.mapper().readTree(Scrape.get(port, "/health/ready").body()).path("checks");
    return checks.path("discovery").asText("absent");
  }

  private static DiscoverySource source(String name, String user, String password, String glob) {
    return new DiscoverySource(
        name,
        TargetConfig.builder(name)
            .host(postgres.host())
            .port(postgres.port())
            .database("postgres")
            .user(user)
            .password(Secret.literal(password))
            .sslMode("disable")
            .operations(EnumSet.allOf(Operation.class))
            .maintenance(
                new MaintenanceSettings(
                    false,
                    false,
                    false,
                    Map.of(Operation.ANALYZE, new Timeouts(null, Duration.ofSeconds(60))),
                    Map.of()))
            .build(),
        List.of(glob),
        List.of("*_ledger"),
        Duration.ofSeconds(1));
  }

  private static long waitingForLock(String database) throws Exception {
    try (Connection c = postgres.connect("postgres");
        PreparedStatement st =
            c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = ?"
                    + " AND application_name LIKE 'pgfleet-%' AND wait_event_type = 'Lock'")) {
      st.setString(1, database);
      try (ResultSet rs = st.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private static double retiredTotal() {
    return Scrape.get(worker.metricsPort(), "/metrics")
        .require("pgfleet_discovery_retired_total", "server=\"local\"");
  }

  private static ResultEvent run(Command command) {
    publisher.publish(command).join();
    return results.awaitTerminal(command.id());
  }
}
