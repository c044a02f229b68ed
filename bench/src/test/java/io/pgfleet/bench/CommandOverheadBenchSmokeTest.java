package io.pgfleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.bench.overhead.CommandOverheadBench;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command-overhead scenario on tiny data, so that it keeps working between full runs. */
class CommandOverheadBenchSmokeTest {
  @Test
  void the_command_overhead_scenario_runs_every_command_on_both_sides(@TempDir Path dir)
      throws Exception {
    SmokeRun run =
        SmokeRun.of(
                log ->
                    CommandOverheadBench.run(
                        new CommandOverheadBench.Options(12, 3, 1, 2, dir),
                        SharedBenchStack.get(),
                        log))
            .bothSidesMeasured(4);

    assertThat(run.log()).contains("run 1 pgfleet").contains("run 1 baseline");
    assertThat(run.table())
        .contains("| commands per second |")
        .contains("| latency p99, ms |")
        .contains("Where a pgfleet command's time goes")
        .contains("machine: ");
  }
}
