package io.pgfleet.worker.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.pgfleet.commands.result.Finding;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The last successful check-integrity run of each target as gauges: when it ended, how many corrupt
 * relations pg_amcheck reported (0 when clean), and the checksum failures the server counted (no
 * series while data checksums are off: nothing is counted then).
 */
final class IntegrityGauges {
  static final String AMCHECK = "heap-and-btree";
  static final String CHECKSUMS = "checksum-failures";

  private final GaugeFamily checkedAt;
  private final GaugeFamily corrupt;
  private final GaugeFamily checksumFailures;

  IntegrityGauges(MeterRegistry registry) {
    checkedAt =
        new GaugeFamily(
            registry,
            "pgfleet.integrity.check.timestamp",
            "target",
            "seconds",
            "When the last successful check-integrity run on the target ended (epoch)");
    corrupt =
        new GaugeFamily(
            registry,
            "pgfleet.integrity.corrupt.relations",
            "target",
            null,
            "Corrupt relations (an index, or a heap block or tuple) pg_amcheck reported in the"
                + " tables the last check-integrity run covered; 0 when clean");
    checksumFailures =
        new GaugeFamily(
            registry,
            "pgfleet.integrity.checksum.failures",
            "target",
            null,
            "Checksum failures the server counted in the database at the last check-integrity run");
  }

  /** A check-integrity run of the target succeeded at {@code at} with these findings. */
  void checked(String target, List<Finding> findings, Instant at) {
    value(findings, AMCHECK).ifPresent(v -> corrupt.set(target, v));
    Optional<Long> failures = value(findings, CHECKSUMS);
    if (failures.isPresent()) {
      checksumFailures.set(target, failures.get());
    } else {
      checksumFailures.remove(target);
    }
    checkedAt.set(target, at.getEpochSecond());
  }

  private static Optional<Long> value(List<Finding> findings, String check) {
    return findings.stream()
        .filter(f -> f.check().equals(check) && f.value() != null)
        .map(f -> f.value().longValue())
        .findFirst();
  }
}
