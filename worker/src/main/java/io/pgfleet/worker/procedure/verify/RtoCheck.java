package io.pgfleet.worker.procedure.verify;

import io.pgfleet.commands.result.Finding;
import io.pgfleet.commands.result.Finding.Status;
import io.pgfleet.worker.procedure.maintenance.Items;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Runbook 003's "DR testing: RTO &lt; 30 min": a drill's restore (download and pg_restore, not the
 * content check that follows) held to the target's {@code rto}. A missed RTO does not fail the
 * drill, which proved the backup restorable; it is a critical finding of the result, {@code rtoMet:
 * false} in its statistics, and the gauges the alert compares.
 */
final class RtoCheck {
  static final String CHECK = "rto";

  private RtoCheck() {}

  /** Adds {@code rtoMs} and {@code rtoMet} to the statistics; the finding, or none without RTO. */
  static List<Finding> judge(Duration rto, long restoreMs, Map<String, Object> stats) {
    if (rto == null) {
      return List.of();
    }
    boolean met = restoreMs <= rto.toMillis();
    stats.put("rtoMs", rto.toMillis());
    stats.put("rtoMet", met);
    String took = seconds(restoreMs);
    String message =
        met
            ? "the restore took " + took + ", within the " + seconds(rto.toMillis()) + " RTO"
            : "RTO missed: the restore took "
                + took
                + ", over the "
                + seconds(rto.toMillis())
                + " RTO. A real recovery of this backup would take as long: restore with more"
                + " jobs, a faster scratch server, smaller backups, or raise the target's rto";
    return List.of(
        new Finding(
            CHECK,
            met ? Status.OK : Status.CRITICAL,
            restoreMs / 1000.0,
            "seconds",
            new Finding.Thresholds(null, rto.toMillis() / 1000.0),
            message,
            null));
  }

  private static String seconds(long ms) {
    return ms < 10_000
        ? String.format(java.util.Locale.ROOT, "%.3fs", ms / 1000.0)
        : Items.seconds(ms / 1000.0);
  }
}
