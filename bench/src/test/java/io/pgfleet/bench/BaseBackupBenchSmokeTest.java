package io.pgfleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.bench.basebackup.BaseBackupBench;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The base-backup scenario on a tiny database, so that it keeps working between full runs. */
class BaseBackupBenchSmokeTest {
  @Test
  void the_base_backup_scenario_measures_both_sides_and_prints_a_table(@TempDir Path dir)
      throws Exception {
    SmokeRun run =
        SmokeRun.of(log -> BaseBackupBench.run(new BaseBackupBench.Options(1_000, 1, dir), log))
            .bothSidesMeasured(2);

    assertThat(run.log()).contains("run 1 pgfleet").contains("run 1 baseline");
    assertThat(run.table()).contains("| total time, s |").contains("machine: ");
  }
}
