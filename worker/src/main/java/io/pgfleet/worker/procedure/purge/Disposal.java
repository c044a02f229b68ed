package io.pgfleet.worker.procedure.purge;

import io.pgfleet.commands.result.Artifact;
import io.pgfleet.worker.failure.ProcedureFailure;
import java.io.IOException;
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

  /**
   * Handles the expired rows of the next batch of {@code size} keys, in a transaction of its own,
   * and advances the keyset past it once that committed; returns the rows it handled.
   */
  long dispose(Keyset keyset, int size)
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

  /**
   * Runs {@code WITH upto AS (...), <cte> SELECT upto, counts...} as one statement, advances the
   * keyset, and returns the counts that follow the batch's end key in the result.
   */
  static long[] run(
      Transactions tx, Keyset keyset, int size, PurgeTable t, OffsetDateTime cutoff, String sql)
      throws SQLException, IOException, ProcedureFailure, InterruptedException {
    Object[] row =
        tx.statement(
            c -> {
              try (PreparedStatement ps = c.prepareStatement(sql)) {
                t.bindExpired(ps, keyset.bindIn(ps, keyset.bindUpto(ps, 1, size)), cutoff);
                try (ResultSet rs = ps.executeQuery()) {
                  rs.next();
                  int n = rs.getMetaData().getColumnCount();
                  Object[] out = new Object[n];
                  for (int i = 0; i < n; i++) {
                    out[i] = rs.getObject(i + 1);
                  }
                  return out;
                }
              }
            });
    keyset.advance(row[0]);
    long[] counts = new long[row.length - 1];
    for (int i = 1; i < row.length; i++) {
      counts[i - 1] = ((Number) row[i]).longValue();
    }
    return counts;
  }

  /**
   * {@code DELETE FROM table WHERE <range> AND <expired>}: the expired rows of a batch (a key range
   * or a slice of pages); the range's parameters bind before {@link PurgeTable#expired()}'s.
   */
  static String deleteExpired(PurgeTable t, String range) {
    return "DELETE FROM " + t.table().sql() + " WHERE " + range + " AND " + t.expired();
  }

  /** {@code gone AS (DELETE the range's expired rows RETURNING ...)}. */
  static String gone(PurgeTable t, String range, String returning) {
    return "gone AS (" + deleteExpired(t, range) + " RETURNING " + returning + ")";
  }

  /**
   * {@code gone AS (DELETE ... RETURNING every column), kept AS (INSERT INTO archive ...)}: the
   * range's expired rows copied into the archive table and deleted in one statement.
   */
  static String moveExpired(PurgeTable t, String range) {
    String columns = t.columnList(null);
    return gone(t, range, columns)
        + ", kept AS (INSERT INTO "
        + t.policy().archive().table().sql()
        + " ("
        + columns
        + ") SELECT "
        + columns
        + " FROM gone RETURNING 1)";
  }

  /** Deletes the batch's expired rows. */
  record Delete(PurgeTable t, Transactions tx, PurgeTally tally, OffsetDateTime cutoff)
      implements Disposal {
    @Override
    public long dispose(Keyset keyset, int size)
        throws SQLException, IOException, ProcedureFailure, InterruptedException {
      String sql =
          "WITH "
              + keyset.upto()
              + ", "
              + gone(t, keyset.in(t.key()), "1")
              + " SELECT (SELECT k FROM upto), (SELECT count(*) FROM gone)";
      long deleted = run(tx, keyset, size, t, cutoff, sql)[0];
      tally.rowsDeleted += deleted;
      return deleted;
    }
  }

  /** Copies the batch's expired rows into the archive table and deletes them, atomically. */
  record MoveToTable(PurgeTable t, Transactions tx, PurgeTally tally, OffsetDateTime cutoff)
      implements Disposal {
    @Override
    public long dispose(Keyset keyset, int size)
        throws SQLException, IOException, ProcedureFailure, InterruptedException {
      String sql =
          "WITH "
              + keyset.upto()
              + ", "
              + moveExpired(t, keyset.in(t.key()))
              + " SELECT (SELECT k FROM upto), (SELECT count(*) FROM gone),"
              + " (SELECT count(*) FROM kept)";
      long[] moved = run(tx, keyset, size, t, cutoff, sql);
      tally.rowsDeleted += moved[0];
      tally.rowsArchived += moved[1];
      return moved[0];
    }
  }
}
