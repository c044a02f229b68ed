package io.pgfleet.worker.procedure.purge;

import io.pgfleet.commands.result.Artifact;
import io.pgfleet.worker.procedure.ProcedureFailure;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * What happens to the expired rows of one batch: deleted, moved into an archive table, or archived
 * to S3 before they are deleted ({@link ArchiveToS3}).
 */
interface Disposal extends AutoCloseable {

  /** Handles the expired rows in {@code range}; returns how many rows its transaction handled. */
  long dispose(KeyRange range)
      throws SQLException, IOException, ProcedureFailure, InterruptedException;

  /** Between two batches, outside their transactions; {@code last} after the last batch. */
  default void afterBatch(boolean last)
      throws SQLException, IOException, ProcedureFailure, InterruptedException {}

  /** Complete artifacts written so far. */
  default List<Artifact> artifacts() {
    return List.of();
  }

  /** Abandons unfinished work (an upload not complete); done work stays done. */
  @Override
  default void close() {}

  /** Deletes the batch's expired rows. */
  final class Delete implements Disposal {
    private final PurgeTable t;
    private final Transactions tx;
    private final PurgeTally tally;
    private final OffsetDateTime cutoff;

    Delete(PurgeTable t, Transactions tx, PurgeTally tally, OffsetDateTime cutoff) {
      this.t = t;
      this.tx = tx;
      this.tally = tally;
      this.cutoff = cutoff;
    }

    @Override
    public long dispose(KeyRange range)
        throws SQLException, IOException, ProcedureFailure, InterruptedException {
      String sql =
          "DELETE FROM "
              + t.table().sql()
              + " WHERE "
              + range.condition(t.key())
              + " AND "
              + t.expired();
      long deleted =
          tx.run(
              false,
              c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                  t.bindExpired(ps, range.bind(ps, 1), cutoff);
                  return (long) ps.executeUpdate();
                }
              });
      tally.rowsDeleted += deleted;
      return deleted;
    }
  }

  /** Copies the batch's expired rows into the archive table and deletes them, atomically. */
  final class MoveToTable implements Disposal {
    private final PurgeTable t;
    private final Transactions tx;
    private final PurgeTally tally;
    private final OffsetDateTime cutoff;

    MoveToTable(PurgeTable t, Transactions tx, PurgeTally tally, OffsetDateTime cutoff) {
      this.t = t;
      this.tx = tx;
      this.tally = tally;
      this.cutoff = cutoff;
    }

    @Override
    public long dispose(KeyRange range)
        throws SQLException, IOException, ProcedureFailure, InterruptedException {
      String columns = t.columnList(null);
      String sql =
          "WITH gone AS (DELETE FROM "
              + t.table().sql()
              + " WHERE "
              + range.condition(t.key())
              + " AND "
              + t.expired()
              + " RETURNING "
              + columns
              + "), kept AS (INSERT INTO "
              + t.policy().archive().table().sql()
              + " ("
              + columns
              + ") SELECT "
              + columns
              + " FROM gone RETURNING 1)"
              + " SELECT (SELECT count(*) FROM gone), (SELECT count(*) FROM kept)";
      long[] moved = tx.run(false, c -> move(c, sql, range));
      tally.rowsDeleted += moved[0];
      tally.rowsArchived += moved[1];
      return moved[0];
    }

    private long[] move(Connection c, String sql, KeyRange range) throws SQLException {
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        t.bindExpired(ps, range.bind(ps, 1), cutoff);
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return new long[] {rs.getLong(1), rs.getLong(2)};
        }
      }
    }
  }
}
