package io.pgfleet.cli.submit;

import io.pgfleet.commands.Operation;
import io.pgfleet.commands.OperationParams;
import io.pgfleet.commands.ResetStatementStatsParams;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pgfleet submit reset-statement-stats}. */
@Command(
    name = "reset-statement-stats",
    mixinStandardHelpOptions = true,
    description =
        "pg_stat_statements_reset() for the target database, or only for its rarely called"
            + " statements (--calls-below).")
public final class SubmitResetStatementStats extends OperationSubmit {
  SubmitResetStatementStats() {
    super(Operation.RESET_STATEMENT_STATS);
  }

  @Option(
      names = "--calls-below",
      paramLabel = "N",
      description =
          "only the statements called fewer than N times (the runbook's calls < 10); default:"
              + " every statement of the database")
  Integer callsBelow;

  @Mixin DryRunOrConfirm change;

  @Override
  OperationParams params() {
    return new ResetStatementStatsParams(change.dryRun, change.confirm, callsBelow);
  }
}
