package io.pgfleet.worker.procedure.purge;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.config.PurgePolicy;
import io.pgfleet.worker.failure.ProcedureFailure;
import java.sql.SQLException;
import java.time.Duration;

/**
 * The failure of a purge statement that ran longer than the policy's {@code statementTimeout}, with
 * the settings that make each statement do less, or let it run longer.
 */
final class StatementTimeout {
  private static final String QUERY_CANCELED = "57014";

  private StatementTimeout() {}

  /**
   * Whether {@code e} is the server cancelling a statement: at {@code statement_timeout}, or by an
   * administrator. Told by its SQLSTATE alone, since the message is in the server's {@code
   * lc_messages} language; the worker's own cancel is told apart before this.
   */
  static boolean is(SQLException e) {
    return QUERY_CANCELED.equals(e.getSQLState());
  }

  static ProcedureFailure of(PurgePolicy p, SQLException e) {
    String unit = p.batchBy() == PurgePolicy.BatchBy.CTID ? "slice of pages" : "batch";
    String start =
        p.batchBy() == PurgePolicy.BatchBy.CTID
            ? ""
            : " (if it was the start, finding the first and last expired key, an index on "
                + p.timeColumn()
                + " helps)";
    return new ProcedureFailure(
        ErrorCode.STATEMENT_TIMEOUT,
        "a statement of purge "
            + p.name()
            + " on "
            + p.table()
            + " was cancelled by the server ("
            + e.getMessage()
            + "). If it ran longer than the policy's statementTimeout ("
            + human(p.statementTimeout())
            + "), lower the policy's batchTime, or its batchSize and maxBatchSize, so that each "
            + unit
            + " does less, or raise its statementTimeout"
            + start
            + ". Rows purged so far stay purged",
        e);
  }

  private static String human(Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }
}
