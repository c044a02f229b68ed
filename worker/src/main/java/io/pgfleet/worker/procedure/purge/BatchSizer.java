package io.pgfleet.worker.procedure.purge;

import java.time.Duration;

/**
 * Sizes batches so that each write transaction takes about the policy's {@code batchTime}, whatever
 * the rows cost on this table and server: from the rate of the last batch, at most twice as many
 * rows as before (or more, where the batch proved that even the costliest case fits), never more
 * than the maximum; a slow batch shrinks the next at once.
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
    record(rows, nanos, 0);
  }

  /**
   * A transaction handled {@code units} in {@code nanos}, doing {@code share} (0 to 1) of the work
   * the same units cost at most. Such units cost at most {@code nanos / share}, so the next batch
   * may jump straight to what fills the target even then, beyond twice the size; a share of 0 (not
   * known) allows doubling only.
   */
  void record(long units, long nanos, double share) {
    if (units <= 0) {
      return;
    }
    double nanosPerUnit = Math.max(1, nanos) / (double) units;
    long ideal = (long) (targetNanos / nanosPerUnit);
    long safe = (long) (targetNanos * Math.min(1, Math.max(0, share)) / nanosPerUnit);
    long grown = Math.max(2L * size, safe);
    size = (int) Math.max(1, Math.min(ideal, Math.min(max, grown)));
  }
}
