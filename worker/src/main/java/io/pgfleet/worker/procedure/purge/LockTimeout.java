package io.pgfleet.worker.procedure.purge;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.config.PurgePolicy;
import io.pgfleet.worker.failure.ProcedureFailure;
import java.sql.SQLException;

/**
 * The retryable failure of a batch that could not get its locks {@code attempts} times in a row.
 * What a resend does depends on how batches cut the table: by key it starts at the first expired
 * row left; by page it passes over the whole table again.
 */
final class LockTimeout {
  private LockTimeout() {}

  static ProcedureFailure of(
      String table, PurgePolicy.BatchBy batchBy, int attempts, SQLException e) {
    String resend =
        batchBy == PurgePolicy.BatchBy.CTID
            ? "it passes over the table again from its first page"
            : "it continues where it stopped";
    return new ProcedureFailure(
        ErrorCode.LOCK_TIMEOUT,
        "a batch of "
            + table
            + " could not get its locks "
            + attempts
            + " times in a row ("
            + e.getMessage()
            + "): another transaction holds them. Rows purged so far stay purged; send the purge"
            + " again later and "
            + resend
            + ", or raise the policy's lockTimeout",
        e);
  }
}
