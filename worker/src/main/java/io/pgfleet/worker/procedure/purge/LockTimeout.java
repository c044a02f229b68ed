package io.pgfleet.worker.procedure.purge;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.failure.ProcedureFailure;
import java.sql.SQLException;

/**
 * The retryable failure of a batch that could not get its locks {@code attempts} times in a row.
 */
final class LockTimeout {
  private LockTimeout() {}

  static ProcedureFailure of(String table, int attempts, SQLException e) {
    return new ProcedureFailure(
        ErrorCode.LOCK_TIMEOUT,
        "a batch of "
            + table
            + " could not get its locks "
            + attempts
            + " times in a row ("
            + e.getMessage()
            + "): another transaction holds them. Rows purged so far stay purged; send the purge"
            + " again later and it continues where it stopped, or raise the policy's lockTimeout",
        e);
  }
}
