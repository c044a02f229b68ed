package io.pgfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.commands.wire.Topics;
import io.pgfleet.dev.LocalWorkerConfigs;
import io.pgfleet.local.LocalStack;
import io.pgfleet.local.SampleFleet;
import io.pgfleet.local.SampleFleet.SampleDatabase;
import io.pgfleet.worker.Worker;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The runbook procedures' options through {@code pgfleet submit ... --wait} against a real worker:
 * ending one session by pid, cleaning up only rarely called statements, connections by user and
 * application.
 */
class SubmitRunbookOptionsTest {
  private static final LocalStack stack = LocalStack.shared();
  private static final String PREFIX = "cli-runbook";
  private static Worker worker;
  private static SampleDatabase db;

  @BeforeAll
  static void startWorker() {
    db = SampleFleet.create(stack.postgres(), "order_db", "cli_runbook_order_db");
    stack.s3().createBucket("cli-runbook");
    stack.postgres().createDatabase("cli_runbook_ledger", stack.postgres().superuser());
    stack.postgres().execute(db.name(), "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    stack
        .postgres()
        .execute(
            db.name(),
            "GRANT EXECUTE ON FUNCTION pg_stat_statements_reset(oid, oid, bigint) TO "
                + db.owner());
    worker =
        Worker.start(
            LocalWorkerConfigs.of(
                stack,
                "cli-runbook-worker",
                new Topics(PREFIX),
                "cli-runbook",
                "cli_runbook_ledger",
                List.of(db)));
  }

  @AfterAll
  static void stopWorker() {
    worker.close();
  }

  @Test
  void terminate_backends_by_pid_as_a_dry_run_names_that_session_and_ends_nothing()
      throws Exception {
    try (Connection service = connect("billing-service");
        Connection twin = connect("billing-service")) {
      CliRun run =
          pgfleet(
              "submit",
              "terminate-backends",
              "-t",
              db.name(),
              "--action",
              "terminate",
              "--pid",
              String.valueOf(pid(service)),
              "--dry-run",
              "-w");

      assertThat(run.code()).as(run.out()).isZero();
      assertThat(run.out()).contains("(dry run: would hit 1, spared 0)");
      assertThat(service.isValid(5)).isTrue();
      assertThat(twin.isValid(5)).isTrue();
    }
  }

  @Test
  void a_pid_below_one_is_refused_before_anything_is_sent() {
    CliRun run =
        pgfleet(
            "submit",
            "terminate-backends",
            "-t",
            db.name(),
            "--action",
            "terminate",
            "--pid",
            "42,0",
            "--dry-run");

    assertThat(run.code()).isEqualTo(ErrorHandler.USAGE);
    assertThat(run.err()).contains("pids must be positive process ids").doesNotContain("submitted");
  }

  @Test
  void reset_statement_stats_calls_below_counts_only_the_rarely_called_statements() {
    CliRun run =
        pgfleet(
            "submit",
            "reset-statement-stats",
            "-t",
            db.name(),
            "--calls-below",
            "10",
            "--dry-run",
            "-w");

    assertThat(run.code()).as(run.out()).isZero();
    assertThat(run.out())
        .containsPattern(
            "dry run: \\d+ of \\d+ statements called fewer than 10 times would be reset");
  }

  @Test
  void health_check_of_connections_prints_them_by_user_and_application() throws Exception {
    try (Connection pool = connect("cli-pool-review")) {
      CliRun run =
          pgfleet("submit", "health-check", "-t", db.name(), "--check", "connections", "-w");

      assertThat(run.code()).as(run.out()).isZero();
      assertThat(run.out())
          .containsPattern("ok\\s+connections\\s+\\d+ of max_connections")
          .contains(
              "- database "
                  + db.name()
                  + ", user "
                  + db.owner()
                  + ", application cli-pool-review, connections 1, active 0, idle 1,"
                  + " idleInTransaction 0");
      assertThat(pool.isValid(5)).isTrue();
    }
  }

  private static Connection connect(String applicationName) throws SQLException {
    Properties p = new Properties();
    p.setProperty("user", db.owner());
    p.setProperty("password", db.password());
    p.setProperty("ApplicationName", applicationName);
    return DriverManager.getConnection(stack.postgres().jdbcUrl(db.name()), p);
  }

  private static int pid(Connection c) throws SQLException {
    try (Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
      rs.next();
      return rs.getInt(1);
    }
  }

  private static CliRun pgfleet(String... args) {
    return CliRun.withKafka(stack.kafka().bootstrapServers(), PREFIX, args);
  }
}
