package io.pgfleet.worker.procedure.purge;

import io.pgfleet.worker.config.PurgePolicy;
import io.pgfleet.worker.failure.ProcedureFailure;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  private static final Logger log = LoggerFactory.getLogger(PageSlices.class);

  /** Rows per page assumed for a table never analyzed. */
  private static final double UNKNOWN_DENSITY = 100;

  private final PurgeTable t;
  private final Transactions tx;
  private final PurgeTally tally;
  private final OffsetDateTime cutoff;
  private final String sql;
  private final boolean archive;
  private long next;
  private long pages;

  PageSlices(PurgeTable t, Transactions tx, PurgeTally tally, OffsetDateTime cutoff) {
    this.t = t;
    this.tx = tx;
    this.tally = tally;
    this.cutoff = cutoff;
    this.sql = statement(t);
    this.archive = t.policy().archive().kind() == PurgePolicy.Archive.Kind.TABLE;
  }

  /** Opens another connection to the target, set up as the purge's own, for one more session. */
  @FunctionalInterface
  interface Connector {
    Connection open() throws SQLException, ProcedureFailure;
  }

  /**
   * Runs the pass; with {@code sessions} above 1, that many connections claim the next slice in
   * turn, each sized by its own rate, so slices commit side by side on several backends.
   */
  void run(Connector more)
      throws SQLException, IOException, ProcedureFailure, InterruptedException {
    PurgePolicy p = t.policy();
    long[] size = size(tx.connection());
    synchronized (this) {
      pages = size[0];
    }
    double density = size[1] > 0 && size[2] > 0 ? size[1] / (double) size[2] : UNKNOWN_DENSITY;
    int sessions = (int) Math.min(p.sessions(), 1 + size[0] / pages(p.batchSize(), density));
    tally.sessions = sessions;
    List<Session> others = new ArrayList<>();
    for (int i = 1; i < sessions; i++) {
      others.add(new Session(more, density, i));
    }
    Throwable failure = null;
    try {
      loop(tx, tally, density);
    } catch (Throwable e) { // an Error too: the other sessions must stop claiming slices
      stop();
      failure = e;
    }
    boolean interrupted = false;
    for (Session s : others) {
      interrupted |= s.join(tally);
      if (failure == null) {
        failure = s.failure;
      } else if (s.failure != null) {
        failure.addSuppressed(s.failure);
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    rethrow(failure);
  }

  private static void rethrow(Throwable failure)
      throws SQLException, IOException, ProcedureFailure, InterruptedException {
    if (failure == null) {
      return;
    } else if (failure instanceof SQLException e) {
      throw e;
    } else if (failure instanceof IOException e) {
      throw e;
    } else if (failure instanceof ProcedureFailure e) {
      throw e;
    } else if (failure instanceof InterruptedException e) {
      throw e;
    } else if (failure instanceof RuntimeException e) {
      throw e;
    } else if (failure instanceof Error e) {
      throw e;
    }
    throw new IllegalStateException(failure);
  }

  private void loop(Transactions tx, PurgeTally tally, double density)
      throws SQLException, IOException, ProcedureFailure, InterruptedException {
    PurgePolicy p = t.policy();
    BatchSizer sizer =
        new BatchSizer(
            pages(p.batchSize(), density), pages(p.maxBatchSize(), density), p.batchTime());
    while (true) {
      int slice = sizer.size();
      long[] range = claim(slice);
      if (range == null) {
        return;
      }
      long start = System.nanoTime();
      long[] counts = tx.statement(c -> slice(c, range[0], range[1]));
      tally.rowsDeleted += counts[0];
      tally.rowsArchived += counts[1];
      tally.batch(System.nanoTime() - start, (int) counts[0]);
      if (range[1] - range[0] == slice) {
        // Its worst case: every row of every page expired, each costing what a deleted row did.
        sizer.record(slice, tx.lastNanos(), counts[0] / (slice * density));
      }
      if (!passed()) {
        tx.pause();
      }
    }
  }

  /** The next {@code slice} pages to purge, or null when the pass is over or stopped. */
  private synchronized long[] claim(int slice) {
    if (next >= pages) {
      return null;
    }
    long from = next;
    next = Math.min(pages, from + slice);
    return new long[] {from, next};
  }

  private synchronized boolean passed() {
    return next >= pages;
  }

  /** After a failure: no session claims another slice. */
  private synchronized void stop() {
    next = pages;
  }

  /**
   * One more connection purging slices on a thread of its own, with a tally of its own. One that
   * cannot connect is left out: the pass goes on with fewer sessions.
   */
  private final class Session {
    private final PurgeTally own = new PurgeTally();
    private final Thread thread;
    private volatile boolean connected;
    private volatile Throwable failure;

    Session(Connector more, double density, int number) {
      thread = new Thread(() -> work(more, density, number), "purge-session-" + number);
      thread.start();
    }

    private void work(Connector more, double density, int number) {
      try {
        Connection c = connect(more, number);
        if (c == null) {
          return;
        }
        connected = true;
        try (c) {
          loop(tx.on(c, own), own, density);
        }
      } catch (Throwable e) {
        failure = e;
        stop();
      }
    }

    private Connection connect(Connector more, int number) {
      try {
        return more.open();
      } catch (SQLException | ProcedureFailure e) {
        log.warn(
            "purge of {}: session {} could not connect, the pass goes on without it: {}",
            t.table(),
            number,
            e.getMessage());
        return null;
      }
    }

    /**
     * Waits for the session to end, even through an interrupt, and adds what it did to {@code
     * into}; true if this thread was interrupted meanwhile.
     */
    boolean join(PurgeTally into) {
      boolean interrupted = false;
      while (true) {
        try {
          thread.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      into.add(own);
      if (!connected) {
        into.sessions--;
      }
      return interrupted;
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
