package io.pgfleet.worker.procedure.purge;

import io.pgfleet.worker.config.PurgePolicy;
import io.pgfleet.worker.failure.ProcedureFailure;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/**
 * The purge loop of {@code batchBy: ctid}: one pass over the table's pages as they were when the
 * purge started, a slice of pages per transaction ({@code ctid >= '(from,0)' AND ctid < '(to,0)'},
 * a TID range scan), deleting (or moving) the slice's expired rows. Together the slices read the
 * table once, as a single DELETE's sequential scan would, and need no index. The policy's row
 * counts are turned into pages by the table's density. The first slice ({@code batchSize} rows'
 * worth) is a probe: the next one jumps to the pages that fill {@code batchTime} even if all their
 * rows expired, at the cost per row the probe measured; so a table of expired rows goes in slices
 * of about {@code batchTime} after the first few. Each slice then grows or shrinks from the last
 * one's rate (at most twofold, unless that same worst case allows more).
 *
 * <p>Pages added after the start hold rows written since, which are not expired. An UPDATE during
 * the purge that moves an expired row into a slice already passed leaves it for the next purge; the
 * expiry condition is checked on every row deleted, so no row that is not expired goes. Resuming
 * needs no state either: a purge sent again passes over the table again.
 */
final class PageSlices {
  /** Rows per page assumed for a table never analyzed. */
  private static final double UNKNOWN_DENSITY = 100;

  private final PurgeTable t;
  private final Transactions tx;
  private final PurgeTally tally;
  private final OffsetDateTime cutoff;
  private final String sql;
  private final boolean archive;

  PageSlices(PurgeTable t, Transactions tx, PurgeTally tally, OffsetDateTime cutoff) {
    this.t = t;
    this.tx = tx;
    this.tally = tally;
    this.cutoff = cutoff;
    this.sql = statement(t);
    this.archive = t.policy().archive().kind() == PurgePolicy.Archive.Kind.TABLE;
  }

  void run() throws SQLException, IOException, ProcedureFailure, InterruptedException {
    PurgePolicy p = t.policy();
    long[] size = size(tx.connection());
    long pages = size[0];
    double density = size[1] > 0 && size[2] > 0 ? size[1] / (double) size[2] : UNKNOWN_DENSITY;
    BatchSizer sizer =
        new BatchSizer(
            pages(p.batchSize(), density), pages(p.maxBatchSize(), density), p.batchTime());
    long from = 0;
    while (from < pages) {
      int slice = sizer.size();
      long to = Math.min(pages, from + slice);
      long start = System.nanoTime();
      long first = from;
      long[] counts = tx.statement(c -> slice(c, first, to));
      tally.rowsDeleted += counts[0];
      tally.rowsArchived += counts[1];
      tally.batch(System.nanoTime() - start, (int) counts[0]);
      from = to;
      if (from < pages) {
        // Its worst case: every row of every page expired, each costing what a deleted row did.
        sizer.record(slice, tx.lastNanos(), counts[0] / (slice * density));
        tx.pause();
      }
    }
  }

  private static int pages(int rows, double density) {
    return (int) Math.max(1, Math.ceil(rows / density));
  }

  /** Pages now, and the planner's rows and pages from the last VACUUM or ANALYZE. */
  private long[] size(Connection c) throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "SELECT pg_relation_size(oid) / current_setting('block_size')::int,"
                + " greatest(reltuples, 0)::bigint, relpages FROM pg_class WHERE oid = ?::regclass")) {
      ps.setString(1, t.table().sql());
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2), rs.getLong(3)};
      }
    }
  }

  private long[] slice(Connection c, long from, long to) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      ps.setString(1, "(" + from + ",0)");
      ps.setString(2, "(" + to + ",0)");
      t.bindExpired(ps, 3, cutoff);
      if (!archive) {
        return new long[] {ps.executeUpdate(), 0};
      }
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        return new long[] {rs.getLong(1), rs.getLong(2)};
      }
    }
  }

  /** Deletes a slice's expired rows (copying them to the archive table first, if any). */
  private static String statement(PurgeTable t) {
    String delete =
        "DELETE FROM "
            + t.table().sql()
            + " WHERE ctid >= ?::tid AND ctid < ?::tid AND "
            + t.expired();
    if (t.policy().archive().kind() != PurgePolicy.Archive.Kind.TABLE) {
      return delete; // its count is the update count: no RETURNING rows to collect
    }
    String columns = t.columnList(null);
    return "WITH gone AS ("
        + delete
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
  }
}
