package io.pgfleet.worker.procedure.purge;

import io.pgfleet.commands.result.Artifact;
import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.worker.procedure.ProcedureFailure;
import io.pgfleet.worker.procedure.RunContext;
import io.pgfleet.worker.storage.Manifest;
import io.pgfleet.worker.storage.StoredObject;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.postgresql.PGConnection;

/**
 * Archives expired rows to S3 before deleting them. Rows are exported batch by batch with {@code
 * COPY ... TO STDOUT} (CSV, gzip) into one multipart upload per segment; once a segment's object is
 * complete, read back with the same sha256 and described by its manifest, its rows are deleted in
 * short transactions: only rows still exactly as exported (same key, same {@code xmin}), so what S3
 * holds is what was deleted. A row changed after its export stays, and a later purge archives its
 * new version.
 *
 * <p>COPY cannot take bind parameters, so each batch's keys are first selected, with parameters,
 * into a temporary table that the COPY joins.
 */
final class ArchiveToS3 implements Disposal {
  private static final String BATCH = "pg_temp.pgfleet_purge_batch";
  private static final String SEGMENT = "pg_temp.pgfleet_purge_segment";
  private static final DateTimeFormatter DAY =
      DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

  private final RunContext ctx;
  private final PurgeTable t;
  private final Transactions tx;
  private final PurgeTally tally;
  private final OffsetDateTime cutoff;
  private final Clock clock;
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
    this.ctx = ctx;
    this.t = t;
    this.tx = tx;
    this.tally = tally;
    this.cutoff = cutoff;
    this.clock = clock;
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
      segment = open(++segments);
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
        archive(full);
        deleteArchived(full);
      }
      try (Statement st = tx.connection().createStatement()) {
        st.execute("TRUNCATE " + SEGMENT);
      }
    }
  }

  private void archive(ArchiveSegment s) throws IOException, ProcedureFailure {
    StoredObject object;
    try {
      object = s.complete();
    } finally {
      s.abort(); // no-op once complete
    }
    verify(object);
    String manifestKey = manifestKey(s.number);
    ArchiveManifest manifest =
        new ArchiveManifest(
            ArchiveManifest.VERSION,
            ArchiveManifest.KIND,
            ctx.command().target(),
            ctx.target().config().database(),
            ctx.command().id(),
            ctx.lease().attempt(),
            ctx.lease().worker(),
            t.policy().name(),
            t.table().toString(),
            t.keyName(),
            t.policy().timeColumn(),
            cutoff.toInstant(),
            s.number,
            new Manifest.ArtifactObject(
                object.uri(), object.key(), object.bytes(), object.sha256()),
            s.rows,
            ArchiveManifest.Format.CSV_GZIP,
            t.columns(),
            s.startedAt,
            clock.instant());
    ctx.store().put(manifestKey, Json.mapper().writeValueAsBytes(manifest), "application/json");
    artifacts.add(
        new Artifact(
            ArchiveManifest.KIND,
            object.uri(),
            ctx.store().uri(manifestKey),
            object.bytes(),
            object.sha256()));
    tally.segments++;
    tally.archiveBytes += object.bytes();
    tally.rowsArchived += s.rows;
  }

  /** Reads the object back: its rows are deleted only if S3 holds exactly what was written. */
  private void verify(StoredObject object) throws IOException, ProcedureFailure {
    MessageDigest sha256 = sha256();
    long bytes = 0;
    try (InputStream in = ctx.store().read(object.key())) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha256.update(buffer, 0, n);
        bytes += n;
      }
    }
    String read = HexFormat.of().formatHex(sha256.digest());
    if (bytes != object.bytes() || !read.equals(object.sha256())) {
      ctx.store().client().deleteObject(b -> b.bucket(ctx.store().bucket()).key(object.key()));
      throw new ProcedureFailure(
          ErrorCode.STORAGE_FAILED,
          "archive object "
              + object.uri()
              + " read back as "
              + bytes
              + " bytes with sha256 "
              + read
              + " instead of "
              + object.bytes()
              + " bytes with sha256 "
              + object.sha256()
              + "; it was removed and none of its rows deleted");
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

  private ArchiveSegment open(int number) throws IOException {
    String key = base() + number + ".csv.gz";
    return new ArchiveSegment(
        number, key, ctx.store().upload(key, "application/gzip"), clock.instant());
  }

  private String manifestKey(int number) {
    return base() + number + ".manifest.json";
  }

  /**
   * {@code <prefix>/<target>/archive/<policy>/<yyyy>/<mm>/<dd>/<commandId>/<attempt>-}: every
   * attempt of a command writes its own segments, so a takeover never overwrites an archive whose
   * rows are already deleted.
   */
  private String base() {
    return ctx.store().keys().targetPrefix(ctx.command().target())
        + "archive/"
        + t.policy().name()
        + "/"
        + DAY.format(ctx.command().time())
        + "/"
        + ctx.command().id()
        + "/"
        + ctx.lease().attempt()
        + "-";
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

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK has no SHA-256", e);
    }
  }
}
