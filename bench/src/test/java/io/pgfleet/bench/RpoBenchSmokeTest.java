package io.pgfleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.bench.rpo.RpoBench;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rpo scenario for a few seconds, so that it keeps working between full runs. */
class RpoBenchSmokeTest {
  @Test
  void the_rpo_scenario_times_commits_into_both_archives_and_prints_a_table(@TempDir Path dir)
      throws Exception {
    SmokeRun run =
        SmokeRun.of(
                log ->
                    RpoBench.run(
                        new RpoBench.Options(
                            3,
                            1,
                            2,
                            Duration.ofSeconds(1),
                            Duration.ofSeconds(2),
                            1,
                            dir,
                            // archive_command may trail a quiet writer until the bound: the
                            // streamed side, asserted complete below, needs a few seconds
                            Duration.ofSeconds(15)),
                        log))
            .bothSidesMeasured(2);

    assertThat(run.log()).contains("steady writer: ").contains("quiet writer: ");
    assertThat(run.log()).contains("(0 not archived by the end); archive_command");
    assertThat(run.table()).contains("s from commit to archive |").contains("machine: ");
  }
}
