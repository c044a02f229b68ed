package io.pgfleet.cli;

import io.pgfleet.commands.CheckIntegrityParams;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.RepackParams;
import io.pgfleet.commands.ResetStatementStatsParams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pgfleet submit} subcommands of the runbooks' remaining procedures. */
final class RunbookSubmits {
  private RunbookSubmits() {}

  /** {@code pgfleet submit check-integrity}. */
  @Command(
      name = "check-integrity",
      mixinStandardHelpOptions = true,
      description = "pg_amcheck over tables and btree indexes, and checksum failures (read-only).")
  static final class CheckIntegrity implements Callable<Integer> {
    @Mixin SubmitCommand.Common common;

    @Option(
        names = "--time-budget",
        description = "start no new table after this long (default 1h); the next run goes on")
    Duration timeBudget;

    @Option(names = "--from-start", description = "start at the first table again")
    boolean fromStart;

    @Override
    public Integer call() throws Exception {
      CheckIntegrityParams params =
          new CheckIntegrityParams(
              timeBudget == null ? null : Math.toIntExact(timeBudget.toSeconds()), fromStart);
      return SubmitCommand.submit(
          common, Commands.of(Operation.CHECK_INTEGRITY, common.target, params));
    }
  }

  /** {@code pgfleet submit repack}. */
  @Command(
      name = "repack",
      mixinStandardHelpOptions = true,
      description = "pg_repack tables online (the alternative to VACUUM FULL).")
  static final class Repack implements Callable<Integer> {
    @Mixin SubmitCommand.Common common;

    @Option(names = "--table", description = "table or schema.table (repeatable)")
    List<String> tables = new ArrayList<>();

    @Option(names = "--bloated", description = "the tables the last health check found bloated")
    boolean bloated;

    @Option(names = "--dry-run", description = "only say what would be repacked")
    boolean dryRun;

    @Option(names = "--confirm", description = "the target's name again (required unless dry run)")
    String confirm;

    @Override
    public Integer call() throws Exception {
      return SubmitCommand.submit(
          common,
          Commands.of(
              Operation.REPACK, common.target, new RepackParams(tables, bloated, dryRun, confirm)));
    }
  }

  /** {@code pgfleet submit reset-statement-stats}. */
  @Command(
      name = "reset-statement-stats",
      mixinStandardHelpOptions = true,
      description = "pg_stat_statements_reset() for the target database.")
  static final class ResetStatementStats implements Callable<Integer> {
    @Mixin SubmitCommand.Common common;

    @Option(names = "--dry-run", description = "only count the statements")
    boolean dryRun;

    @Option(names = "--confirm", description = "the target's name again (required unless dry run)")
    String confirm;

    @Override
    public Integer call() throws Exception {
      return SubmitCommand.submit(
          common,
          Commands.of(
              Operation.RESET_STATEMENT_STATS,
              common.target,
              new ResetStatementStatsParams(dryRun, confirm)));
    }
  }
}
