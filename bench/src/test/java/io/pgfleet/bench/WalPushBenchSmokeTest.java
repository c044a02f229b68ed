package io.pgfleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.bench.wal.WalPushBench;
import io.pgfleet.bench.wal.WalPushMain;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wal-push scenario on one segment, so that it keeps working between full runs. */
class WalPushBenchSmokeTest {
  @Test
  void the_wal_push_scenario_archives_real_segments_both_ways_and_prints_a_table(@TempDir Path dir)
      throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    List<String> pgfleet =
        List.of(
            ProcessHandle.current().info().command().orElse("java"),
            "-cp",
            System.getProperty("java.class.path"),
            WalPushMain.class.getName());

    Report report =
        WalPushBench.run(
            new WalPushBench.Options(1, 1, dir, pgfleet),
            new PrintStream(log, true, StandardCharsets.UTF_8));

    assertThat(report.rows()).hasSize(5);
    assertThat(report.rows())
        .allSatisfy(
            r -> {
              assertThat(r.pgfleet().median()).isPositive();
              assertThat(r.baseline().median()).isPositive();
            });
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("run 1 pgfleet ")
        .contains("run 1 cp ");
    ByteArrayOutputStream table = new ByteArrayOutputStream();
    report.print(new PrintStream(table, true, StandardCharsets.UTF_8));
    assertThat(table.toString(StandardCharsets.UTF_8))
        .contains("| archive_command, ms per segment (a process each) |")
        .contains("machine: ");
  }
}
