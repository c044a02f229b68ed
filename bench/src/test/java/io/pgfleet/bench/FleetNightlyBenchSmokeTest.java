package io.pgfleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.bench.nightly.FleetNightlyBench;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fleet-nightly scenario on tiny data, so that it keeps working between full runs. */
class FleetNightlyBenchSmokeTest {
  @Test
  void the_fleet_nightly_scenario_backs_up_every_database_on_both_sides(@TempDir Path dir)
      throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();

    Report report =
        FleetNightlyBench.run(
            new FleetNightlyBench.Options(2, 1, 1, 1, 3, dir),
            SharedBenchStack.get(),
            new PrintStream(log, true, StandardCharsets.UTF_8));

    assertThat(report.rows()).hasSize(5);
    Report.Row wall = report.rows().get(0);
    Report.Row stored = report.rows().get(1);
    Report.Row floor = report.rows().get(2);
    Report.Row cpu = report.rows().get(3);
    assertThat(floor.baseline().median()).isPositive();
    assertThat(cpu.pgfleet().median()).isPositive();
    assertThat(cpu.baseline().median()).isPositive();
    assertThat(wall.pgfleet().median()).isPositive();
    assertThat(wall.baseline().median()).isPositive();
    assertThat(stored.pgfleet().median()).isPositive();
    assertThat(stored.baseline().median()).isPositive();
    assertThat(log.toString(StandardCharsets.UTF_8))
        .contains("generating auth_db")
        .contains("generating user_db")
        .contains("run 1 pgfleet")
        .contains("run 1 baseline")
        .containsPattern("run 1 floor +[0-9.]+ s, +0.0 MB stored, cpu [0-9.]+ s")
        .containsPattern("auth_db +[1-9][0-9]* +[1-9][0-9]* +[0-9.]+")
        .containsPattern("user_db +[1-9][0-9]* +[1-9][0-9]* +[0-9.]+");
    ByteArrayOutputStream table = new ByteArrayOutputStream();
    report.print(new PrintStream(table, true, StandardCharsets.UTF_8));
    assertThat(table.toString(StandardCharsets.UTF_8))
        .contains("| wall time, s |")
        .contains("| stored, MB |")
        .contains("| wall time against the floor")
        .containsPattern("by the standard tools, .* It took [0-9.]+ s, [0-9.]+x the runbook's loop")
        .contains("machine: ");
  }
}
