package io.pgfleet.worker;

import io.pgfleet.worker.config.HealthLimit;
import io.pgfleet.worker.config.MaintenanceSettings;
import java.util.Map;

/** Index-bloat levels a test's few megabytes reach: 512 KiB wasted warns, 1 MiB is critical. */
final class SmallIndexBloat {
  private SmallIndexBloat() {}

  static MaintenanceSettings thresholds() {
    return new MaintenanceSettings(
        false,
        false,
        false,
        Map.of(),
        Map.of(HealthLimit.INDEX_BLOAT_BYTES, new HealthLimit.Level(512.0 * 1024, 1024.0 * 1024)));
  }
}
