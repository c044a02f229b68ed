package io.pgfleet.cli;

import io.pgfleet.commands.AnalyzeParams;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.HealthCheckParams;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.ReindexParams;
import io.pgfleet.commands.TerminateBackendsParams;
import io.pgfleet.commands.VacuumParams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pgfleet submit} subcommands of the maintenance operations. */
final class MaintenanceSubmits {
  private MaintenanceSubmits() {}

  /** {@code pgfleet submit vacuum}. */
  @Command(
      name = "vacuum",
      mixinStandardHelpOptions = true,
      description = "VACUUM (ANALYZE) the whole database or the tables named.")
  static final class Vacuum implements Callable<Integer> {
    @Mixin SubmitCommand.Common common;

    @Option(names = "--table", description = "table or schema.table (repeatable); default: all")
    List<String> tables = new ArrayList<>();

    @Option(names = "--no-analyze", description = "Do not update planner statistics")
    boolean noAnalyze;

    @Option(names = "--freeze", description = "VACUUM FREEZE")
    boolean freeze;

    @Option(
        names = "--full",
        description = "VACUUM FULL: locks each table while rewriting it; the target must allow it")
    boolean full;

    @Override
    public Integer call() throws Exception {
      VacuumParams params = new VacuumParams(tables, !noAnalyze, freeze, full);
      return SubmitCommand.submit(common, Commands.of(Operation.VACUUM, common.target, params));
    }
  }

  /** {@code pgfleet submit analyze}. */
  @Command(
      name = "analyze",
      mixinStandardHelpOptions = true,
      description = "ANALYZE (planner statistics) of the whole database or the tables named.")
  static final class Analyze implements Callable<Integer> {
    @Mixin SubmitCommand.Common common;

    @Option(names = "--table", description = "table or schema.table (repeatable); default: all")
    List<String> tables = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      return SubmitCommand.submit(
          common, Commands.of(Operation.ANALYZE, common.target, new AnalyzeParams(tables)));
    }
  }

  /** {@code pgfleet submit reindex}. */
  @Command(
      name = "reindex",
      mixinStandardHelpOptions = true,
      description = "REINDEX CONCURRENTLY an index, a table's indexes, or the whole database.")
  static final class Reindex implements Callable<Integer> {
    @Mixin SubmitCommand.Common common;

    @Option(names = "--index", description = "index or schema.index")
    String index;

    @Option(names = "--table", description = "every index of this table")
    String table;

    @Option(names = "--database", description = "every index of the database")
    boolean database;

    @Option(
        names = "--blocking",
        description = "Rebuild without CONCURRENTLY (blocks writes); the target must allow it")
    boolean blocking;

    @Option(
        names = "--drop-invalid",
        description = "Drop _ccnew/_ccold leftovers of failed rebuilds first, retry once")
    boolean dropInvalid;

    @Override
    public Integer call() throws Exception {
      ReindexParams params = new ReindexParams(index, table, database, !blocking, dropInvalid);
      return SubmitCommand.submit(common, Commands.of(Operation.REINDEX, common.target, params));
    }
  }

  /** {@code pgfleet submit health-check}. */
  @Command(
      name = "health-check",
      mixinStandardHelpOptions = true,
      description = "The daily health checklist; the result lists every finding that is not ok.")
  static final class HealthCheck implements Callable<Integer> {
    @Mixin SubmitCommand.Common common;

    @Option(names = "--check", description = "only this check, e.g. connections (repeatable)")
    List<String> checks = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
      return SubmitCommand.submit(
          common,
          Commands.of(Operation.HEALTH_CHECK, common.target, new HealthCheckParams(checks)));
    }
  }

  /** {@code pgfleet submit terminate-backends}. */
  @Command(
      name = "terminate-backends",
      mixinStandardHelpOptions = true,
      description =
          "Cancel or terminate sessions of the target database that match every filter given.")
  static final class TerminateBackends implements Callable<Integer> {
    @Mixin SubmitCommand.Common common;

    @Option(names = "--action", required = true, description = "cancel or terminate")
    String action;

    @Option(names = "--active-longer-than", description = "a query running longer, e.g. 30m")
    Duration activeLongerThan;

    @Option(
        names = "--idle-in-transaction-longer-than",
        description = "idle in an open transaction longer, e.g. 10m")
    Duration idleInTransactionLongerThan;

    @Option(
        names = "--idle-longer-than",
        description = "idle (no transaction open) longer, e.g. 10m")
    Duration idleLongerThan;

    @Option(names = "--application-name", description = "exactly this application_name")
    String applicationName;

    @Option(names = "--user", description = "sessions of exactly this role")
    String user;

    @Option(names = "--include-superusers", description = "also hit superuser sessions")
    boolean includeSuperusers;

    @Option(names = "--dry-run", description = "only list what would be hit")
    boolean dryRun;

    @Option(names = "--confirm", description = "the target's name again (required unless dry run)")
    String confirm;

    @Override
    public Integer call() throws Exception {
      TerminateBackendsParams params =
          new TerminateBackendsParams(
              action,
              seconds(activeLongerThan),
              seconds(idleInTransactionLongerThan),
              applicationName,
              user,
              includeSuperusers,
              dryRun,
              confirm,
              seconds(idleLongerThan));
      return SubmitCommand.submit(
          common, Commands.of(Operation.TERMINATE_BACKENDS, common.target, params));
    }

    private static Integer seconds(Duration d) {
      return d == null ? null : Math.toIntExact(d.toSeconds());
    }
  }
}
