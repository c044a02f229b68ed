package io.pgfleet.worker.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.pgfleet.worker.wal.RecoverableWindow;
import java.time.Instant;

/**
 * When things last happened to each target, in epoch seconds: the last successful backup and
 * verification, and the two ends of its recoverable window.
 */
final class TargetTimestamps {
  private static final String SUCCEEDED =
      "When the last run of this kind succeeded on the target (epoch)";
  private final GaugeFamily backup;
  private final GaugeFamily verify;
  private final GaugeFamily windowStart;
  private final GaugeFamily windowEnd;

  TargetTimestamps(MeterRegistry registry) {
    backup = stamp(registry, "pgfleet.last.backup.success.timestamp", SUCCEEDED);
    verify = stamp(registry, "pgfleet.last.verify.success.timestamp", SUCCEEDED);
    windowStart = stamp(registry, "pgfleet.recoverable.window.start.timestamp", window("Start"));
    windowEnd = stamp(registry, "pgfleet.recoverable.window.end.timestamp", window("End"));
  }

  void backedUp(String target, Instant at) {
    backup.set(target, at.getEpochSecond());
  }

  void verified(String target, Instant at) {
    verify.set(target, at.getEpochSecond());
  }

  /** No end series while the window is empty (its first segment is missing). */
  void recoverableWindow(String target, RecoverableWindow window) {
    windowStart.set(target, window.startTime().getEpochSecond());
    if (window.endArchivedAt() != null) {
      windowEnd.set(target, window.endArchivedAt().getEpochSecond());
    }
  }

  private static GaugeFamily stamp(MeterRegistry registry, String name, String description) {
    return new GaugeFamily(registry, name, "target", "seconds", description);
  }

  private static String window(String which) {
    return which
        + " of the target's recoverable window (epoch): oldest base backup's start,"
        + " newest reachable archived WAL";
  }
}
