package io.pgfleet.commands;

/**
 * Parameters of check-integrity: pg_amcheck over the target database's tables (heap) and their
 * btree indexes, plus the server's checksum failures. A run stops starting new tables once its time
 * budget is spent; the next run goes on after the last table checked.
 *
 * @param timeBudgetSeconds stop starting new tables after this long (default 3600); at least one
 *     table is checked per run, so 0 checks exactly one
 * @param fromStart start again at the first table instead of where the last run stopped
 */
public record CheckIntegrityParams(Integer timeBudgetSeconds, Boolean fromStart)
    implements OperationParams {
  public static final int DEFAULT_TIME_BUDGET_SECONDS = 3600;

  public CheckIntegrityParams {
    timeBudgetSeconds = timeBudgetSeconds == null ? DEFAULT_TIME_BUDGET_SECONDS : timeBudgetSeconds;
    if (timeBudgetSeconds < 0) {
      throw new IllegalArgumentException("timeBudgetSeconds must not be negative");
    }
    fromStart = fromStart != null && fromStart;
  }

  public static CheckIntegrityParams defaults() {
    return new CheckIntegrityParams(null, null);
  }
}
