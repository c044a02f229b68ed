package io.pgfleet.commands;

/**
 * Parameters of reset-statement-stats: {@code pg_stat_statements_reset()}, the runbooks' monthly
 * "statistics cleanup". The statistics of every statement are lost, so it needs confirm.
 *
 * @param dryRun only count the statements whose statistics would be reset
 * @param confirm the target's name, required unless dryRun
 */
public record ResetStatementStatsParams(Boolean dryRun, String confirm) implements OperationParams {
  public ResetStatementStatsParams {
    dryRun = dryRun != null && dryRun;
  }
}
