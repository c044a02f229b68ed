package io.pgfleet.worker.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Per target, how long the last successful restore drill's restore took and the RTO it is held to
 * (when the target has one), in seconds: the RTO's counterpart of the backup timestamps the RPO
 * alert reads. {@code PgfleetRestoreDrillOverRto} compares the two.
 */
final class DrillGauges {
  private final MeterRegistry registry;
  private final Map<String, AtomicLong> restoreMs = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> rtoMs = new ConcurrentHashMap<>();

  DrillGauges(MeterRegistry registry) {
    this.registry = registry;
  }

  /** A drill succeeded: its restore took {@code restore} ms, against {@code rto} ms or none. */
  void restored(String target, long restore, Long rto) {
    series(restoreMs, "pgfleet.last.verify.restore", target, LAST_RESTORE).set(restore);
    if (rto != null) {
      series(rtoMs, "pgfleet.rto", target, RTO).set(rto);
    } else if (rtoMs.remove(target) != null) {
      var meter = registry.find("pgfleet.rto").tag("target", target).meter();
      if (meter != null) {
        registry.remove(meter);
      }
    }
  }

  private AtomicLong series(
      Map<String, AtomicLong> family, String name, String target, String description) {
    return family.computeIfAbsent(
        target,
        t -> {
          AtomicLong millis = new AtomicLong();
          Gauge.builder(name, millis, m -> m.get() / 1000.0)
              .baseUnit("seconds")
              .description(description)
              .tag("target", t)
              .register(registry);
          return millis;
        });
  }

  private static final String LAST_RESTORE =
      "How long the restore of the target's last successful restore drill took";
  private static final String RTO = "The target's recovery time objective (rto in its config)";
}
