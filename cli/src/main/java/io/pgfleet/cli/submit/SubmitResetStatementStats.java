package io.pgfleet.cli.submit;

import io.pgfleet.commands.Operation;
import io.pgfleet.commands.OperationParams;
import io.pgfleet.commands.ResetStatementStatsParams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code pgfleet submit reset-statement-stats}. */
@Command(
    name = "reset-statement-stats",
    mixinStandardHelpOptions = true,
    description = "pg_stat_statements_reset() for the target database.")
public final class SubmitResetStatementStats extends OperationSubmit {
  SubmitResetStatementStats() {
    super(Operation.RESET_STATEMENT_STATS);
  }

  @Mixin DryRunOrConfirm change;

  @Override
  OperationParams params() {
    return new ResetStatementStatsParams(change.dryRun, change.confirm);
  }
}
