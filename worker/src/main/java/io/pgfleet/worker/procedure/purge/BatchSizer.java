package io.pgfleet.worker.procedure.purge;

import java.time.Duration;

/**
 * Sizes batches so that each write transaction takes about the policy's {@code batchTime}, whatever
 * the rows cost on this table and server: from the rate of the last batch, at most twice as many
 * rows as before, never more than the maximum; a slow batch shrinks the next at once.
 */
final class BatchSizer {
  private final int max;
  private final long targetNanos;
  private int size;

  BatchSizer(int initial, int max, Duration target) {
    this.size = initial;
    this.max = max;
    this.targetNanos = target.toNanos();
  }

  int size() {
    return size;
  }

  /** A transaction handled {@code rows} rows in {@code nanos}. */
  void record(long rows, long nanos) {
    if (rows <= 0) {
      return;
    }
    double nanosPerRow = Math.max(1, nanos) / (double) rows;
    long ideal = (long) (targetNanos / nanosPerRow);
    size = (int) Math.max(1, Math.min(ideal, Math.min(max, 2L * size)));
  }
}
