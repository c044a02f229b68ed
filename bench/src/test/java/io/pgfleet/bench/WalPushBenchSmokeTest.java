package io.pgfleet.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.bench.wal.WalPushBench;
import io.pgfleet.bench.wal.WalPushMain;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The wal-push scenario on one segment, so that it keeps working between full runs. */
class WalPushBenchSmokeTest {
  @Test
  void the_wal_push_scenario_archives_real_segments_both_ways_and_prints_a_table(@TempDir Path dir)
      throws Exception {
    List<String> pgfleet = walPushMain();

    SmokeRun run =
        SmokeRun.of(
                log ->
                    WalPushBench.run(
                        new WalPushBench.Options(1, 1, dir, pgfleet), SharedBenchStack.get(), log))
            .bothSidesMeasured(5);

    assertThat(run.log()).contains("run 1 pgfleet ").contains("run 1 cp ");
    assertThat(run.table())
        .contains("| archive_command, ms per segment (a process each) |")
        .contains("machine: ");
  }

  @Test
  void the_resident_agent_side_archives_every_segment_through_the_shipped_client(@TempDir Path dir)
      throws Exception {
    List<String> pgfleet = walPushMain();
    Path client =
        Path.of("").toAbsolutePath().getParent().resolve("deploy/wal-agent/pgfleet-wal-push");

    SmokeRun run =
        SmokeRun.of(
                log ->
                    WalPushBench.run(
                        new WalPushBench.Options(2, 1, dir, pgfleet, null, client),
                        SharedBenchStack.get(),
                        log))
            .bothSidesMeasured(7);

    assertThat(run.log()).contains("run 1 pgfleet-agent ").contains("run 1 cp+fsync ");
    assertThat(run.table())
        .contains("| archive_command through the resident wal-agent")
        .contains("| the same against cp then fsync of the copy");
  }

  /** wal-push in a JVM per segment, as the test JVMs run (C1 only, serial GC: a smoke run). */
  private static List<String> walPushMain() {
    return List.of(
        ProcessHandle.current().info().command().orElse("java"),
        "-XX:TieredStopAtLevel=1",
        "-XX:+UseSerialGC",
        "-cp",
        System.getProperty("java.class.path"),
        WalPushMain.class.getName());
  }
}
