package io.pgfleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.bench.purge.PurgeBench;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The purge scenario on tiny data, so that it keeps working between full runs. */
class PurgeBenchSmokeTest {
  @Test
  void the_purge_scenario_measures_both_sides_and_prints_a_table(@TempDir Path dir)
      throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    Report report =
        PurgeBench.run(
            new PurgeBench.Options(2_000, 1, dir),
            new PrintStream(log, true, StandardCharsets.UTF_8));

    assertThat(report.rows()).hasSize(4);
    assertThat(report.rows())
        .allSatisfy(
            r -> {
              assertThat(r.pgfleet().size()).isEqualTo(1);
              assertThat(r.baseline().size()).isEqualTo(1);
            });
    assertThat(report.rows().get(0).pgfleet().median()).isPositive();
    assertThat(report.rows().get(0).baseline().median()).isPositive();
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("run 1 pgfleet")
        .contains("run 1 baseline");
    ByteArrayOutputStream table = new ByteArrayOutputStream();
    report.print(new PrintStream(table, true, StandardCharsets.UTF_8));
    assertThat(table.toString(StandardCharsets.UTF_8))
        .contains("| total time, s |")
        .contains("| inserter p99 latency, ms |")
        .contains("machine: ");
  }
}
