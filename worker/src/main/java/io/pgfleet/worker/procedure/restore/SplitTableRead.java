package io.pgfleet.worker.procedure.restore;

import io.pgfleet.commands.result.ErrorCode;
import io.pgfleet.worker.archive.RowHash;
import io.pgfleet.worker.archive.TableDigest;
import io.pgfleet.worker.failure.ProcedureFailure;
import io.pgfleet.worker.procedure.Cancellation;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * One restored table's content read in parts side by side, each part a range of its pages on its
 * own connection ({@code COPY (SELECT <columns> FROM ONLY t WHERE ctid >= '(a,0)' AND ctid <
 * '(b,0)') TO STDOUT}, a TID range scan), all in one snapshot exported by the first. Every session
 * is set up as pg_dump's ({@link CopySession}) and the column list is pg_dump's, so each row prints
 * byte for byte as in the archive; the table's hash is a sum of its rows' ({@link TableDigest}), so
 * the parts' contents add up to the whole table's. The ranges cover every page ({@link
 * PageRanges}). Each part takes its lock without waiting, as pg_dump's parallel workers do: a lock
 * pg_restore queued behind the lead's (an ALTER TABLE in an index entry) would otherwise hold the
 * parts while the lead waits for them; instead the read fails and pg_dump reads the table later.
 * Every part is locked before any reads, so such a read fails before a row is read.
 */
final class SplitTableRead {
  /** Opens a connection to the restored database. */
  @FunctionalInterface
  interface Connections {
    Connection open() throws ProcedureFailure;
  }

  /** A table's content, and how many parts it was read in. */
  record Read(TableDigest.Content content, int parts) {}

  private SplitTableRead() {}

  /**
   * The content of {@code schema.table}, or empty where this read does not apply and pg_dump reads
   * it instead: a server before 14 (no TID range scan), not an ordinary table, or no such table.
   *
   * @param parts at most this many parts, each at least {@code minPartPages} pages
   */
  static Optional<Read> read(
      Connections connections,
      String schema,
      String table,
      RowHash rowHash,
      int parts,
      long minPartPages,
      Cancellation cancellation)
      throws ProcedureFailure, InterruptedException {
    return read(connections, schema, table, rowHash, parts, minPartPages, 1, cancellation);
  }

  /**
   * {@link #read(Connections, String, String, RowHash, int, long, Cancellation)}, empty as well
   * when the table is too small for {@code minParts} parts (found before it is locked or read).
   */
  static Optional<Read> read(
      Connections connections,
      String schema,
      String table,
      RowHash rowHash,
      int parts,
      long minPartPages,
      int minParts,
      Cancellation cancellation)
      throws ProcedureFailure, InterruptedException {
    PartConnections open = new PartConnections();
    ExecutorService others = null;
    try {
      Connection lead = open.add(connections.open());
      cancellation.onCancel(open::cancelAll);
      CopySession.begin(lead, null);
      Optional<CopiedTable> relation = CopiedTable.find(lead, schema, table);
      if (relation.isEmpty()) {
        return Optional.empty();
      }
      CopiedTable r = relation.get();
      int n = PageRanges.count(r.pages(), parts, minPartPages);
      if (n < minParts) {
        return Optional.empty();
      }
      CopySession.lock(lead, r);
      List<String> ranges = PageRanges.of(r.pages(), n);
      String snapshot = n > 1 ? CopySession.exportSnapshot(lead) : null;
      List<Connection> locked = new ArrayList<>();
      for (int i = 1; i < n; i++) { // every part locked before a row is read
        Connection c = open.add(connections.open());
        CopySession.begin(c, snapshot);
        CopySession.lockNowait(c, r);
        locked.add(c);
      }
      List<Future<TableDigest.Content>> rest = new ArrayList<>();
      if (n > 1) {
        others = Executors.newFixedThreadPool(n - 1, SplitTableRead::daemon);
        for (int i = 1; i < n; i++) {
          Connection c = locked.get(i - 1);
          String range = ranges.get(i);
          rest.add(others.submit(() -> CopyDigest.of(c, r, range, rowHash)));
        }
      }
      cancellation.check();
      TableDigest.Content content = CopyDigest.of(lead, r, ranges.get(0), rowHash);
      for (Future<TableDigest.Content> part : rest) {
        content = content.plus(part.get());
      }
      cancellation.check();
      return Optional.of(new Read(content, n));
    } catch (SQLException e) {
      throw failure(schema, table, e, cancellation);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof SQLException sql) {
        throw failure(schema, table, sql, cancellation);
      }
      throw new IllegalStateException(e.getCause());
    } finally {
      if (others != null) {
        others.shutdownNow();
      }
      open.close();
    }
  }

  private static ProcedureFailure failure(
      String schema, String table, SQLException e, Cancellation cancellation)
      throws InterruptedException {
    cancellation.check(); // a cancelled read fails its statements: the cancellation is the cause
    return new ProcedureFailure(
        ErrorCode.VERIFICATION_FAILED,
        "reading the restored table " + schema + "." + table + " back failed: " + e.getMessage(),
        e);
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "drill-read-back-part");
    t.setDaemon(true);
    return t;
  }
}
