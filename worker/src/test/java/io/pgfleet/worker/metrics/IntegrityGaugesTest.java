package io.pgfleet.worker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.commands.result.Finding;
import io.pgfleet.commands.result.Finding.Status;
import io.pgfleet.local.Scrape;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The checksum-failure gauge, which the local stack cannot show (its clusters run without data
 * checksums): set from the finding's count, gone once a check finds checksums off.
 */
class IntegrityGaugesTest {
  @Test
  void checksum_failures_are_exported_while_counted_and_dropped_when_checksums_are_off() {
    WorkerMetrics metrics = new WorkerMetrics();
    Instant at = Instant.parse("2026-12-06T07:00:00Z");

    metrics.integrityChecked("db_x", findings(2, 3L), at);
    Scrape counted = new Scrape(200, metrics.scrape());
    metrics.integrityChecked("db_x", findings(0, null), at.plusSeconds(60));
    Scrape off = new Scrape(200, metrics.scrape());

    String t = "target=\"db_x\"";
    assertThat(counted.require("pgfleet_integrity_checksum_failures", t)).isEqualTo(3);
    assertThat(counted.require("pgfleet_integrity_corrupt_relations", t)).isEqualTo(2);
    assertThat(counted.require("pgfleet_integrity_check_timestamp_seconds", t))
        .isEqualTo(at.getEpochSecond());
    assertThat(off.value("pgfleet_integrity_checksum_failures", t)).isEmpty();
    assertThat(off.require("pgfleet_integrity_corrupt_relations", t)).isEqualTo(0);
    assertThat(off.require("pgfleet_integrity_check_timestamp_seconds", t))
        .isEqualTo(at.getEpochSecond() + 60);
  }

  private static List<Finding> findings(int corrupt, Long checksumFailures) {
    return List.of(
        new Finding(
            "heap-and-btree",
            corrupt > 0 ? Status.CRITICAL : Status.OK,
            corrupt,
            "count",
            null,
            "pg_amcheck",
            null),
        new Finding(
            "checksum-failures",
            checksumFailures == null ? Status.UNKNOWN : Status.CRITICAL,
            checksumFailures,
            "count",
            null,
            "checksums",
            null));
  }
}
