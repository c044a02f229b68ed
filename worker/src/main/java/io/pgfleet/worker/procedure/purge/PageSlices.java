package io.pgfleet.worker.procedure.purge;

import io.pgfleet.worker.config.PurgePolicy;
import io.pgfleet.worker.failure.ProcedureFailure;
import java.io.IOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

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
  private final PurgeTable t;
  private final Transactions tx;
  private final PurgeTally tally;
  private final SliceDelete delete;
  private final PageClaims claims = new PageClaims();

  PageSlices(PurgeTable t, Transactions tx, PurgeTally tally, OffsetDateTime cutoff) {
    this.t = t;
    this.tx = tx;
    this.tally = tally;
    this.delete = new SliceDelete(t, cutoff);
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
    TablePages size = TablePages.of(tx.connection(), t.table());
    claims.start(size.pages());
    int sessions = (int) Math.min(p.sessions(), 1 + size.pages() / size.pages(p.batchSize()));
    tally.sessions = sessions;
    List<PurgeSession> others = new ArrayList<>();
    for (int i = 1; i < sessions; i++) {
      PurgeSession.Slices slices = (c, own) -> loop(tx.on(c, own), own, size);
      others.add(new PurgeSession(more, slices, claims, t.table(), i));
    }
    Throwable failure = null;
    try {
      loop(tx, tally, size);
    } catch (Throwable e) { // an Error too: the other sessions must stop claiming slices
      claims.stop();
      failure = e;
    }
    boolean interrupted = false;
    for (PurgeSession s : others) {
      interrupted |= s.join(tally);
      if (failure == null) {
        failure = s.failure();
      } else if (s.failure() != null) {
        failure.addSuppressed(s.failure());
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
    SessionFailure.rethrow(failure);
  }

  private void loop(Transactions tx, PurgeTally tally, TablePages size)
      throws SQLException, IOException, ProcedureFailure, InterruptedException {
    PurgePolicy p = t.policy();
    BatchSizer sizer =
        new BatchSizer(size.pages(p.batchSize()), size.pages(p.maxBatchSize()), p.batchTime());
    while (true) {
      int slice = sizer.size();
      long[] range = claims.claim(slice);
      if (range == null) {
        return;
      }
      long start = System.nanoTime();
      long[] counts = tx.statement(c -> delete.run(c, range[0], range[1]));
      tally.rowsDeleted += counts[0];
      tally.rowsArchived += counts[1];
      tally.batch(System.nanoTime() - start, (int) counts[0]);
      if (range[1] - range[0] == slice) {
        // Its worst case: every row of every page expired, each costing what a deleted row did.
        sizer.record(slice, tx.lastNanos(), counts[0] / (slice * size.density()));
      }
      if (!claims.passed()) {
        tx.pause();
      }
    }
  }
}
