package io.pgfleet.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.cli.submit.ExitCodes;
import io.pgfleet.commands.wire.Topics;
import io.pgfleet.dev.LocalWorkerConfigs;
import io.pgfleet.local.LocalStack;
import io.pgfleet.local.SampleFleet;
import io.pgfleet.local.SampleFleet.SampleDatabase;
import io.pgfleet.worker.Worker;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code pgfleet submit <maintenance operation> --wait} against a real worker. */
class MaintenanceSubmitTest {
  private static final LocalStack stack = LocalStack.shared();
  private static final String PREFIX = "cli-maint";
  private static Worker worker;
  private static SampleDatabase db;

  @BeforeAll
  static void startWorker() {
    db = SampleFleet.create(stack.postgres(), "order_db", "cli_maint_order_db");
    stack.s3().createBucket("cli-maint");
    stack.postgres().createDatabase("cli_maint_ledger", stack.postgres().superuser());
    worker =
        Worker.start(
            LocalWorkerConfigs.of(
                stack,
                "cli-maint",
                new Topics(PREFIX),
                "cli-maint",
                "cli_maint_ledger",
                List.of(db)));
  }

  @AfterAll
  static void stopWorker() {
    worker.close();
  }

  @Test
  void vacuum_and_reindex_print_their_statistics() {
    CliRun vacuum = pgfleet("submit", "vacuum", "-t", db.name(), "--table", "orders", "-w");
    CliRun reindex = pgfleet("submit", "reindex", "-t", db.name(), "--table", "orders", "-w");

    assertThat(vacuum.code()).as(vacuum.out()).isZero();
    assertThat(vacuum.out())
        .containsPattern(
            "succeeded cli_maint_order_db\\s+vacuum .*\\(1 tables, dead tuples 0 -> 0");
    assertThat(reindex.code()).as(reindex.out()).isZero();
    assertThat(reindex.out()).contains("indexes rebuilt, invalid 0 -> 0)");
  }

  @Test
  void reindex_bloated_dry_run_prints_what_it_would_rebuild_and_skip() {
    CliRun dry = pgfleet("submit", "reindex", "-t", db.name(), "--bloated", "--dry-run", "-w");

    assertThat(dry.code()).as(dry.out()).isZero();
    // the sample database's indexes are freshly built: none is flagged, each is skipped
    assertThat(dry.out()).containsPattern("\\(dry run: would rebuild 0, [1-9]\\d* not flagged\\)");
  }

  @Test
  void health_check_prints_every_finding_that_is_not_ok() {
    CliRun run = pgfleet("submit", "health-check", "-t", db.name(), "-w");

    assertThat(run.code()).as(run.out()).isZero();
    assertThat(run.out())
        .containsPattern(
            "succeeded cli_maint_order_db\\s+health-check .*\\(warning: 0 critical, 1 warning, \\d+ ok,"
                + " 3 unknown\\)")
        .containsPattern("unknown\\s+slow-statements\\s+pg_stat_statements is not installed")
        .containsPattern("warning\\s+security\\s+\\d+ things to review");
  }

  @Test
  void terminate_backends_runs_dry_but_is_refused_for_real_where_the_target_does_not_allow_it() {
    CliRun dry =
        pgfleet(
            "submit",
            "terminate-backends",
            "-t",
            db.name(),
            "--action",
            "terminate",
            "--active-longer-than",
            "30m",
            "--dry-run",
            "-w");
    CliRun real =
        pgfleet(
            "submit",
            "terminate-backends",
            "-t",
            db.name(),
            "--action",
            "cancel",
            "--application-name",
            "report",
            "--confirm",
            db.name(),
            "-w");

    assertThat(dry.code()).as(dry.out()).isZero();
    assertThat(dry.out()).contains("(dry run: would hit 0, spared 0)");
    assertThat(real.code()).isEqualTo(ExitCodes.FAILED);
    assertThat(real.out())
        .contains("OPERATION_NOT_ALLOWED")
        .contains("allow.terminateBackends: true");
  }

  @Test
  void the_runbooks_remaining_procedures_are_submitted_from_the_command_line() {
    stack
        .postgres()
        .execute(
            db.name(),
            "CREATE EXTENSION IF NOT EXISTS amcheck;"
                + " GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO "
                + db.owner());
    CliRun integrity =
        pgfleet("submit", "check-integrity", "-t", db.name(), "--time-budget", "0s", "-w");
    CliRun idle =
        pgfleet(
            "submit",
            "terminate-backends",
            "-t",
            db.name(),
            "--action",
            "terminate",
            "--idle-longer-than",
            "10m",
            "--dry-run",
            "-w");
    CliRun statements =
        pgfleet("submit", "reset-statement-stats", "-t", db.name(), "--dry-run", "-w");
    CliRun repack =
        pgfleet("submit", "repack", "-t", db.name(), "--table", "orders", "--dry-run", "-w");

    assertThat(integrity.code()).as(integrity.out()).isZero();
    assertThat(integrity.out())
        .containsPattern("\\(1 tables checked, 0 corrupt, \\d+ left for the next run\\)");
    assertThat(idle.code()).as(idle.out()).isZero();
    assertThat(idle.out()).contains("(dry run: would hit 0, spared 0)");
    assertThat(statements.code()).isEqualTo(ExitCodes.FAILED);
    assertThat(statements.out()).contains("EXTENSION_MISSING").contains("CREATE EXTENSION");
    assertThat(repack.code()).isEqualTo(ExitCodes.FAILED);
    assertThat(repack.out()).contains("EXTENSION_MISSING").contains("postgresql-15-repack");
  }

  @Test
  void a_reindex_of_two_scopes_is_refused_before_anything_is_sent() {
    CliRun run = pgfleet("submit", "reindex", "-t", db.name(), "--index", "a", "--table", "b");

    assertThat(run.code()).isEqualTo(ErrorHandler.USAGE);
    assertThat(run.err()).contains("give exactly one of index, table or database");
  }

  private static CliRun pgfleet(String... args) {
    return CliRun.withKafka(stack.kafka().bootstrapServers(), PREFIX, args);
  }
}
