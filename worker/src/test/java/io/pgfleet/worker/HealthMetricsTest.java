package io.pgfleet.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.HealthCheckParams;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.result.Finding;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.local.Scrape;
import io.pgfleet.runtime.config.MetricsSettings;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** A health check's values become per-target gauges that alert rules can use. */
class HealthMetricsTest {

  @Test
  void a_health_check_run_exposes_connections_wraparound_dead_tuples_long_queries_and_sizes()
      throws Exception {
    try (Fleet fleet = new Fleet("order_db");
        TargetSessions orders = new TargetSessions(fleet, "order_db")) {
      try (Connection c = orders.asOwner("test-setup");
          Statement st = c.createStatement()) {
        st.execute(
            "CREATE TABLE metrics_dead (id int PRIMARY KEY, v text) WITH (autovacuum_enabled ="
                + " false); INSERT INTO metrics_dead SELECT i, 'x' FROM generate_series(1, 4000)"
                + " i; DELETE FROM metrics_dead WHERE id > 1000;");
      }
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  orders.number(
                          "SELECT n_dead_tup FROM pg_stat_user_tables"
                              + " WHERE relname = 'metrics_dead'")
                      == 3000);
      Connection sleeper = orders.asOwner("report-job");
      CompletableFuture<SQLException> sleeping =
          TargetSessions.inBackground(sleeper, "SELECT pg_sleep(120)");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  orders.number(
                          "SELECT count(*) FROM pg_stat_activity WHERE application_name ="
                              + " 'report-job' AND state = 'active'"
                              + " AND query_start < now() - interval '2 seconds'")
                      == 1);
      Worker worker =
          fleet.startWorker(
              fleet
                  .workerConfig("worker-hm", UnaryOperator.identity())
                  .withMetrics(new MetricsSettings(0)));
      String target = fleet.target("order_db");
      Instant before = Instant.now();
      Command command =
          Commands.of(Operation.HEALTH_CHECK, target, HealthCheckParams.defaults()).build();
      fleet.publisher().publish(command).join();
      ResultEvent end = fleet.results().awaitTerminal(command.id());
      assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
      assertThat(sleeping).isNotDone();

      Scrape s = Scrape.get(worker.metricsPort(), "/metrics");
      String t = "target=\"" + target + "\"";
      double connections = s.require("pgfleet_health_connections_used_ratio", t);
      assertThat(connections)
          .isEqualTo(value(end, "connections") / 100, Offset.offset(1e-9))
          .isGreaterThan(0)
          .isLessThan(1);
      double xidAge = s.require("pgfleet_health_transaction_id_age", t);
      assertThat(xidAge)
          .isGreaterThan(0)
          .isEqualTo(((Number) end.data().statistics().get("xidAge")).doubleValue());
      assertThat(s.require("pgfleet_health_wraparound_ratio", t))
          .isEqualTo(xidAge / Math.pow(2, 31), Offset.offset(1e-12));
      assertThat(s.require("pgfleet_health_wraparound_freeze_max_age_ratio", t))
          .isEqualTo(value(end, "wraparound") / 100, Offset.offset(1e-9))
          .isBetween(0.0, 1.0); // a fresh cluster: far below autovacuum_freeze_max_age
      assertThat(s.require("pgfleet_health_dead_tuples_max_ratio", t))
          .isEqualTo(0.75, Offset.offset(0.001)); // 3000 dead of 4000
      assertThat(s.require("pgfleet_health_dead_tuples", t)).isGreaterThanOrEqualTo(3000);
      assertThat(s.require("pgfleet_health_longest_query_seconds", t))
          .isEqualTo(value(end, "long-running-queries"))
          .isGreaterThan(2)
          .isLessThan(120);
      assertThat(s.require("pgfleet_health_largest_table_bytes", t))
          .isEqualTo(value(end, "table-size"))
          .isGreaterThan(8192);
      assertThat(s.require("pgfleet_health_database_bytes", t))
          .isGreaterThan(s.require("pgfleet_health_largest_table_bytes", t));
      assertThat(s.require("pgfleet_health_check_status", t, "check=\"dead-tuples\"", status(end)))
          .isEqualTo(1);
      assertThat(
              s.require("pgfleet_health_check_status", t, "check=\"connections\"", "status=\"ok\""))
          .isEqualTo(1);
      assertThat(s.require("pgfleet_health_check_timestamp_seconds", t))
          .isBetween((double) before.getEpochSecond(), (double) Instant.now().getEpochSecond());
    }
  }

  private static double value(ResultEvent end, String check) {
    return finding(end, check).value().doubleValue();
  }

  private static String status(ResultEvent end) {
    return "status=\"" + finding(end, "dead-tuples").status().wireName() + "\"";
  }

  private static Finding finding(ResultEvent end, String check) {
    List<Finding> findings = end.data().findings();
    return findings.stream().filter(f -> f.check().equals(check)).findFirst().orElseThrow();
  }
}
