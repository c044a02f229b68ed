package io.pgfleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.bench.overhead.CommandOverheadBench;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-overhead scenario on tiny data, so that it keeps working between full runs. */
class CommandOverheadBenchSmokeTest {
  @Test
  void the_command_overhead_scenario_runs_every_command_on_both_sides(@TempDir Path dir)
      throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    Report report =
        CommandOverheadBench.run(
            new CommandOverheadBench.Options(12, 3, 1, 2, dir),
            new PrintStream(log, true, StandardCharsets.UTF_8));

    assertThat(report.rows()).hasSize(4);
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
        .contains("| commands per second |")
        .contains("| latency p99, ms |")
        .contains("Where a pgfleet command's time goes")
        .contains("machine: ");
  }
}
