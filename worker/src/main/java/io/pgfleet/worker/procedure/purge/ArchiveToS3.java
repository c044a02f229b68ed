package io.pgfleet.worker.procedure.purge;

import io.pgfleet.commands.result.Artifact;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.RunContext;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.postgresql.PGConnection;

/**
 * Archives expired rows to S3 before deleting them. Rows are exported batch by batch with {@code
 * COPY ... TO STDOUT} (CSV, gzip) into one multipart upload per segment; once a segment is sealed
 * ({@link ArchiveSegments}: complete, read back with the same sha256, described by its manifest),
 * its rows are deleted in short transactions: only rows still exactly as exported (same key, same
 * {@code xmin}), so what S3 holds is what was deleted. A row changed after its export stays, and a
 * later purge archives its new version.
 *
 * <p>COPY cannot take bind parameters, so each batch's keys are first selected, with parameters,
 * into a temporary table that the COPY joins.
 */
final class ArchiveToS3 implements Disposal {
  private static final String BATCH = "pg_temp.pgfleet_purge_batch";
  private static final String SEGMENT = "pg_temp.pgfleet_purge_segment";

  private final ArchiveSegments objects;
  private final PurgeTable t;
  private final Transactions tx;
  private final PurgeTally tally;
  private final OffsetDateTime cutoff;
  private final List<Artifact> artifacts = new ArrayList<>();
  private ArchiveSegment segment;
  private int segments;

  ArchiveToS3(
      RunContext ctx,
      Connection c,
      PurgeTable t,
      Transactions tx,
      PurgeTally tally,
      OffsetDateTime cutoff,
      Clock clock)
      throws SQLException {
    this.objects = new ArchiveSegments(ctx, t, cutoff, clock);
    this.t = t;
    this.tx = tx;
    this.tally = tally;
    this.cutoff = cutoff;
    String keys =
        " AS SELECT "
            + t.key()
            + " AS k, xmin AS row_xmin FROM "
            + t.table().sql()
            + " WITH NO DATA";
    try (Statement st = c.createStatement()) {
      st.execute("CREATE TEMP TABLE pgfleet_purge_batch ON COMMIT DELETE ROWS" + keys);
      st.execute("CREATE TEMP TABLE pgfleet_purge_segment" + keys);
      st.execute("CREATE INDEX ON " + SEGMENT + " (k)");
    }
  }

  @Override
  public long dispose(Keyset keyset, int size)
      throws SQLException, IOException, ProcedureFailure, InterruptedException {
    if (segment == null) {
      segment = objects.open(++segments);
    }
    Object[] upto = new Object[1];
    long rows = tx.snapshot(c -> export(c, keyset, size, upto));
    segment.ranges.add(keyset.advance(upto[0]));
    segment.rows += rows;
    return rows;
  }

  /** In one snapshot: the batch's keys, then exactly those rows as CSV, then the keys kept. */
  private long export(Connection c, Keyset keyset, int size, Object[] upto)
      throws SQLException, IOException {
    String select =
        "WITH "
            + keyset.upto()
            + ", batch AS (INSERT INTO "
            + BATCH
            + " SELECT "
            + t.key()
            + ", xmin FROM "
            + t.table().sql()
            + " WHERE "
            + keyset.in(t.key())
            + " AND "
            + t.expired()
            + " RETURNING 1) SELECT (SELECT k FROM upto), (SELECT count(*) FROM batch)";
    try (PreparedStatement ps = c.prepareStatement(select)) {
      t.bindExpired(ps, keyset.bindIn(ps, keyset.bindUpto(ps, 1, size)), cutoff);
      try (ResultSet rs = ps.executeQuery()) {
        rs.next();
        upto[0] = rs.getObject(1);
      }
    }
    String copy =
        "COPY (SELECT "
            + t.columnList("src")
            + " FROM "
            + t.table().sql()
            + " src JOIN "
            + BATCH
            + " b ON src."
            + t.key()
            + " = b.k AND src.xmin = b.row_xmin ORDER BY src."
            + t.key()
            + ") TO STDOUT WITH (FORMAT csv, HEADER "
            + segment.firstCopy()
            + ")";
    long rows = c.unwrap(PGConnection.class).getCopyAPI().copyOut(copy, segment.csv());
    try (Statement st = c.createStatement()) {
      st.executeUpdate("INSERT INTO " + SEGMENT + " SELECT * FROM " + BATCH);
    }
    return rows;
  }

  @Override
  public void afterBatch(boolean last)
      throws SQLException, IOException, ProcedureFailure, InterruptedException {
    if (segment != null && (last || segment.rows >= t.policy().archive().segmentRows())) {
      ArchiveSegment full = segment;
      segment = null;
      if (full.rows == 0) {
        full.abort();
      } else {
        Artifact sealed = objects.seal(full);
        artifacts.add(sealed);
        tally.segments++;
        tally.archiveBytes += sealed.bytes();
        tally.rowsArchived += full.rows;
        deleteArchived(full);
      }
      try (Statement st = tx.connection().createStatement()) {
        st.execute("TRUNCATE " + SEGMENT);
      }
    }
  }

  private void deleteArchived(ArchiveSegment s)
      throws SQLException, IOException, ProcedureFailure, InterruptedException {
    for (KeyRange range : s.ranges) {
      String sql =
          "DELETE FROM "
              + t.table().sql()
              + " dst USING "
              + SEGMENT
              + " s WHERE "
              + range.condition("s.k")
              + " AND dst."
              + t.key()
              + " = s.k AND dst.xmin = s.row_xmin";
      tally.rowsDeleted +=
          tx.statement(
              c -> {
                try (PreparedStatement ps = c.prepareStatement(sql)) {
                  range.bind(ps, 1);
                  return (long) ps.executeUpdate();
                }
              });
      tx.pause();
    }
  }

  @Override
  public List<Artifact> artifacts() {
    return List.copyOf(artifacts);
  }

  @Override
  public void close() {
    if (segment != null) {
      segment.abort();
      segment = null;
    }
  }
}
