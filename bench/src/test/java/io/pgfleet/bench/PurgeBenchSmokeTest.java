package io.pgfleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.bench.purge.PurgeBench;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The purge scenario on tiny data, so that it keeps working between full runs. */
class PurgeBenchSmokeTest {
  @Test
  void the_purge_scenario_measures_both_sides_and_prints_a_table(@TempDir Path dir)
      throws Exception {
    SmokeRun run = SmokeRun.of(log -> PurgeBench.run(new PurgeBench.Options(2_000, 1, dir), log));

    assertThat(run.report().rows()).hasSize(4);
    assertThat(run.report().rows())
        .allSatisfy(
            r -> {
              assertThat(r.pgfleet().size()).isEqualTo(1);
              assertThat(r.baseline().size()).isEqualTo(1);
            });
    assertThat(run.report().rows().get(0).pgfleet().median()).isPositive();
    assertThat(run.report().rows().get(0).baseline().median()).isPositive();
    assertThat(run.log()).contains("run 1 pgfleet").contains("run 1 baseline");
    assertThat(run.table())
        .contains("| total time, s |")
        .contains("| inserter p99 latency, ms |")
        .contains("machine: ");
  }
}
