package io.pgfleet.worker.procedure.purge;

import io.pgfleet.worker.config.PurgePolicy;
import io.pgfleet.worker.procedure.ProcedureFailure;
import java.io.IOException;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/**
 * The purge loop: find the next key range of expired rows, dispose of it in its own transaction,
 * size the next batch from how long this one took, pause, until no expired row is left.
 */
final class Batches {
  private final Keyset keyset;
  private final Transactions tx;
  private final PurgeTally tally;
  private final BatchSizer sizer;

  Batches(PurgeTable t, Transactions tx, PurgeTally tally, OffsetDateTime cutoff) {
    PurgePolicy p = t.policy();
    this.keyset = new Keyset(tx.connection(), t, cutoff);
    this.tx = tx;
    this.tally = tally;
    this.sizer = new BatchSizer(p.batchSize(), p.maxBatchSize(), p.batchTime());
  }

  void run(Disposal disposal)
      throws SQLException, IOException, ProcedureFailure, InterruptedException {
    Object after = null;
    while (true) {
      long start = System.nanoTime();
      int size = sizer.size();
      KeyRange range = keyset.next(after, size);
      if (range == null) {
        break;
      }
      long rows = disposal.dispose(range);
      tally.batch(System.nanoTime() - start, (int) rows);
      sizer.record(rows, tx.lastNanos());
      after = range.last();
      disposal.afterBatch(range.end());
      if (range.end()) {
        return;
      }
      tx.pause();
    }
    disposal.afterBatch(true);
  }
}
