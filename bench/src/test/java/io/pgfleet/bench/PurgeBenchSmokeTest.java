package io.pgfleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.bench.purge.PurgeBatching;
import io.pgfleet.bench.purge.PurgeBench;
import io.pgfleet.worker.config.PurgePolicy;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The purge scenario on tiny data, so that it keeps working between full runs. */
class PurgeBenchSmokeTest {
  @Test
  void the_purge_scenario_measures_both_sides_with_the_given_batching_and_prints_a_table(
      @TempDir Path dir) throws Exception {
    PurgeBatching byPage =
        new PurgeBatching(PurgePolicy.BatchBy.CTID, Duration.ofMillis(300), null, 100_000, null, 2);
    SmokeRun run =
        SmokeRun.of(
            log ->
                PurgeBench.run(
                    new PurgeBench.Options(2_000, 1, dir, byPage), SharedBenchStack.get(), log));

    assertThat(run.report().rows()).hasSize(6);
    assertThat(run.report().rows())
        .allSatisfy(
            r -> {
              assertThat(r.pgfleet().size()).isEqualTo(1);
              assertThat(r.baseline().size()).isEqualTo(1);
            });
    assertThat(run.report().rows().get(0).pgfleet().median()).isPositive();
    assertThat(run.report().rows().get(0).baseline().median()).isPositive();
    assertThat(run.log())
        .contains("run 1 pgfleet")
        .contains("run 1 baseline")
        .containsPattern("\n  baseline ANALYZE after its DELETE \\d+ ms\n");
    assertThat(run.table())
        .contains("| total time vs DELETE + ANALYZE (the runbook), s |")
        .contains("| total time vs the DELETE alone, s |")
        .contains("batchBy ctid, batchTime 300 ms")
        .contains("| inserter p99 latency, ms |")
        .contains("machine: ");
  }
}
