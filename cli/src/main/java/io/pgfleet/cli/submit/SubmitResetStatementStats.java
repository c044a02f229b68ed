package io.pgfleet.cli.submit;

import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.ResetStatementStatsParams;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code pgfleet submit reset-statement-stats}. */
@Command(
    name = "reset-statement-stats",
    mixinStandardHelpOptions = true,
    description = "pg_stat_statements_reset() for the target database.")
public final class SubmitResetStatementStats implements Callable<Integer> {
  @Mixin SubmitOptions common;

  @Mixin DryRunOrConfirm change;

  @Override
  public Integer call() throws Exception {
    return Submission.submit(
        common,
        Commands.of(
            Operation.RESET_STATEMENT_STATS,
            common.target,
            new ResetStatementStatsParams(change.dryRun, change.confirm)));
  }
}
