package io.pgfleet.bench.purge;

import io.pgfleet.worker.config.PurgePolicy;
import java.time.Duration;
import java.util.Locale;

/**
 * The purge policy's batch settings for pgfleet's side; null fields keep the policy defaults.
 *
 * @param batchBy key or ctid
 */
public record PurgeBatching(
    PurgePolicy.BatchBy batchBy,
    Duration batchTime,
    Integer batchSize,
    Integer maxBatchSize,
    Duration pause,
    Integer sessions) {
  public static final PurgeBatching DEFAULTS =
      new PurgeBatching(null, null, null, null, null, null);

  PurgePolicy.Builder applyTo(PurgePolicy.Builder b) {
    if (batchBy != null) {
      b.batchBy(batchBy);
    }
    if (batchTime != null) {
      b.batchTime(batchTime);
    }
    if (batchSize != null) {
      b.batchSize(batchSize);
    }
    if (maxBatchSize != null) {
      b.maxBatchSize(maxBatchSize);
    }
    if (pause != null) {
      b.pause(pause);
    }
    if (sessions != null) {
      b.sessions(sessions);
    }
    return b;
  }

  String describe() {
    PurgePolicy p =
        applyTo(
                PurgePolicy.builder(PurgeBench.POLICY)
                    .table("t")
                    .timeColumn("c")
                    .olderThan(Duration.ofDays(1)))
            .build();
    return String.format(
        Locale.ROOT,
        "batchBy %s, batchTime %d ms, batchSize %d, maxBatchSize %d, pause %d ms, sessions %d",
        p.batchBy().name().toLowerCase(Locale.ROOT),
        p.batchTime().toMillis(),
        p.batchSize(),
        p.maxBatchSize(),
        p.pause().toMillis(),
        p.sessions());
  }
}
