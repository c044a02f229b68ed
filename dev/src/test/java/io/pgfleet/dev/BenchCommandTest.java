package io.pgfleet.dev;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.cli.CliRun;
import io.pgfleet.commands.BackupParams;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Every scenario is one command with the shared {@code --runs} and {@code --dir} options. */
class BenchCommandTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "purge",
        "backup-stream",
        "compression",
        "verify-backup",
        "table-restore",
        "wal-push",
        "base-backup",
        "fleet-nightly",
        "command-overhead",
        "scale",
        "rpo"
      })
  void each_scenario_takes_runs_and_a_work_directory(String scenario) {
    CliRun help = CliRun.capture(DevMain::run, "bench", scenario, "--help");

    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("--runs=").contains("--dir=");
  }

  @Test
  void fleet_nightly_asks_for_the_shipped_zstd_level_unless_told_otherwise() {
    CliRun help = CliRun.capture(DevMain::run, "bench", "fleet-nightly", "--help");

    assertThat(help.code()).isZero();
    assertThat(help.out().replaceAll("\\s+", " "))
        .contains(
            "zstd level the backup commands ask for (default: "
                + BackupParams.DEFAULT_ZSTD_LEVEL
                + ", the shipped one)");
  }

  @Test
  void an_unknown_scenario_is_refused_with_the_list() {
    CliRun run = CliRun.capture(DevMain::run, "bench", "vacuum-speed");

    assertThat(run.code()).isNotZero();
    assertThat(run.err()).contains("vacuum-speed").contains("fleet-nightly");
  }
}
