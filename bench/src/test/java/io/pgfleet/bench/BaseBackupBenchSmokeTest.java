package io.pgfleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.bench.basebackup.BaseBackupBench;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The base-backup scenario on a tiny database, so that it keeps working between full runs. */
class BaseBackupBenchSmokeTest {
  @Test
  void the_base_backup_scenario_measures_both_sides_and_prints_the_workers_phases(@TempDir Path dir)
      throws Exception {
    SmokeRun run =
        SmokeRun.of(log -> BaseBackupBench.run(new BaseBackupBench.Options(1_000, 1, dir), log));
    List<Report.Row> rows = run.report().rows();

    assertThat(rows.subList(0, 2))
        .extracting(Report.Row::metric)
        .containsExactly("total time, s", "bytes stored, MB");
    assertThat(rows.subList(0, 2))
        .allSatisfy(
            r -> {
              assertThat(r.pgfleet().median()).isPositive();
              assertThat(r.baseline().median()).isPositive();
            });
    // the rest is pgfleet's own split: the time inside the worker, then each phase of the backup
    assertThat(rows.subList(2, rows.size()))
        .extracting(Report.Row::metric)
        .startsWith("of which in the worker (procedure), s")
        .contains("phase firstTarByteAtMs, s", "phase uploadedAtMs, s");
    assertThat(rows.subList(2, rows.size()))
        .allSatisfy(
            r -> {
              assertThat(r.baseline()).isNull();
              assertThat(r.pgfleet().median()).isNotNegative();
            });
    assertThat(run.log()).contains("run 1 pgfleet").contains("run 1 baseline");
    assertThat(run.table()).contains("| total time, s |").contains("machine: ");
  }
}
