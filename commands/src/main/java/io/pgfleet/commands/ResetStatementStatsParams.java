package io.pgfleet.commands;

/**
 * Parameters of reset-statement-stats: {@code pg_stat_statements_reset()}, the runbooks' monthly
 * "statistics cleanup". Statistics are lost, so it needs confirm.
 *
 * @param dryRun only count the statements whose statistics would be reset
 * @param confirm the target's name, required unless dryRun
 * @param callsBelow reset only the statements called fewer times than this (the runbook's {@code
 *     calls < 10}); absent: every statement of the database
 */
public record ResetStatementStatsParams(Boolean dryRun, String confirm, Integer callsBelow)
    implements OperationParams {
  public ResetStatementStatsParams {
    dryRun = dryRun != null && dryRun;
    if (callsBelow != null && callsBelow < 1) {
      throw new IllegalArgumentException(
          "callsBelow must be at least 1 (a statement is called at least once), not " + callsBelow);
    }
  }

  /** Every statement of the database, as before callsBelow existed. */
  public ResetStatementStatsParams(Boolean dryRun, String confirm) {
    this(dryRun, confirm, null);
  }
}
