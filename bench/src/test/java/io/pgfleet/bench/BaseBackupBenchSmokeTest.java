package io.pgfleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.bench.basebackup.BaseBackupBench;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The base-backup scenario on a tiny database, so that it keeps working between full runs. */
class BaseBackupBenchSmokeTest {
  @Test
  void the_base_backup_scenario_measures_both_sides_and_prints_a_table(@TempDir Path dir)
      throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    Report report =
        BaseBackupBench.run(
            new BaseBackupBench.Options(1_000, 1, dir),
            new PrintStream(log, true, StandardCharsets.UTF_8));

    assertThat(report.rows()).hasSize(2);
    assertThat(report.rows())
        .allSatisfy(
            r -> {
              assertThat(r.pgfleet().median()).isPositive();
              assertThat(r.baseline().median()).isPositive();
            });
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("run 1 pgfleet")
        .contains("run 1 baseline");
    ByteArrayOutputStream table = new ByteArrayOutputStream();
    report.print(new PrintStream(table, true, StandardCharsets.UTF_8));
    assertThat(table.toString(StandardCharsets.UTF_8))
        .contains("| total time, s |")
        .contains("machine: ");
  }
}
