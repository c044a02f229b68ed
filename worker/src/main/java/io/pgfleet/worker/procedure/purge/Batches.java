package io.pgfleet.worker.procedure.purge;

import io.pgfleet.worker.config.PurgePolicy;
import io.pgfleet.worker.failure.ProcedureFailure;
import java.io.IOException;
import java.sql.SQLException;
import java.time.OffsetDateTime;

/**
 * The purge loop: dispose of the expired rows of the next key range in a transaction of its own,
 * size the next range from how long this one took, pause, until the last expired key is passed.
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
    if (!keyset.start()) {
      disposal.afterBatch(true);
      return;
    }
    while (true) {
      long start = System.nanoTime();
      int size = sizer.size();
      long rows = disposal.dispose(keyset, size);
      tally.batch(System.nanoTime() - start, (int) rows);
      if (keyset.done()) {
        disposal.afterBatch(true);
        return;
      }
      // A batch spans size keys, and its statement examines each of their rows.
      sizer.record(size, tx.lastNanos());
      disposal.afterBatch(false);
      tx.pause();
    }
  }
}
