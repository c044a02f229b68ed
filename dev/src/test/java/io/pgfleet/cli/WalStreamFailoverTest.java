package io.pgfleet.cli;

import static io.pgfleet.cli.StreamingFixture.query;
import static io.pgfleet.cli.StreamingFixture.sql;
import static io.pgfleet.cli.StreamingFixture.switchWal;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.pgfleet.local.LocalPostgres;
import io.pgfleet.local.LocalStack;
import io.pgfleet.local.SampleFleet.SampleDatabase;
import io.pgfleet.worker.Worker;
import io.pgfleet.worker.config.WorkerConfigFile;
import io.pgfleet.worker.storage.ArtifactStore;
import io.pgfleet.worker.wal.WalArchive;
import io.pgfleet.worker.wal.WalCheck;
import io.pgfleet.worker.wal.WalFileName;
import io.pgfleet.worker.wal.WalTimeline;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A failover to another server, as README's PITR section describes it: the target's primary dies,
 * its standby on another port is promoted, and the fleet's config points the target at it. The
 * streamer creates the slot on the new server, archives {@code 00000002.history} and streams
 * timeline 2 from it; wal-check stays continuous, and a copy taken before the failover recovers
 * through {@code wal-fetch} to a row written on the new server.
 */
class WalStreamFailoverTest {
  private static final LocalStack stack = LocalStack.shared();
  private static final String NAME = "wal-failover";
  private static final String TARGET = "failover_db";

  @Test
  void after_a_failover_to_another_server_the_streamer_follows_it_and_recovery_passes_the_failover(
      @TempDir Path shared) throws Exception {
    Path archiveConfig = ArchiveConfig.write(stack, NAME);
    Path pgfleet = PgfleetScript.shared();
    try (StreamingFixture.Servers servers = StreamingFixture.servers(stack, shared, NAME, TARGET);
        ArtifactStore store = ArtifactStore.connect(WorkerConfigFile.storage(archiveConfig))) {
      LocalPostgres primary = servers.primary();
      SampleDatabase db = servers.db();
      Standby standby = servers.standby();
      Standby base = servers.base();
      try {
        WalArchive archive = new WalArchive(store, TARGET);
        try (Worker first =
            Worker.start(
                StreamingFixture.worker(
                    stack, NAME, "wal-failover-worker-1", primary, db, primary.port()))) {
          sql(primary.jdbcUrl(TARGET), primary, "INSERT INTO moves VALUES (1, 'before')");
          String tl1 = switchWal(primary.jdbcUrl("postgres"), primary);
          await("timeline 1 streamed from the primary")
              .atMost(Duration.ofSeconds(30))
              .until(() -> archive.list().contains(new WalFileName(tl1)));
          // in the segment in progress only: the standby has it, the archive at most as .partial
          // durable before it is acknowledged (the local stack runs synchronous_commit = off),
          // so the LSN read next is past its commit record
          sql(
              primary.jdbcUrl(TARGET),
              primary,
              "SET synchronous_commit = on; INSERT INTO moves VALUES (2, 'in flight')");
          String written =
              query(primary.jdbcUrl("postgres"), primary, "SELECT pg_current_wal_lsn()");
          await("the standby replayed the last commit")
              .atMost(Duration.ofSeconds(30))
              .until(
                  () ->
                      "t"
                          .equals(
                              query(
                                  standby.jdbcUrl("postgres"),
                                  primary,
                                  "SELECT pg_last_wal_replay_lsn() >= '" + written + "'")));
          crash(primary);
        }

        standby.promote();
        String promoted = StreamingFixture.moves(standby.jdbcUrl(TARGET), primary);
        assertThat(promoted).as("the promoted server").isEqualTo("before,in flight");
        try (Worker second =
            Worker.start(
                StreamingFixture.worker(
                    stack, NAME, "wal-failover-worker-2", primary, db, standby.port()))) {
          // from the new server
          StreamingFixture.streamedOnTimeline2(
              archive, standby.jdbcUrl(TARGET), primary, "INSERT INTO moves VALUES (3, 'after')");
          assertThat(second.streaming()).containsExactly(TARGET);
          assertThat(
                  query(
                      standby.jdbcUrl("postgres"),
                      primary,
                      "SELECT string_agg(slot_name, ',') FROM pg_replication_slots"))
              .isEqualTo("pgfleet_" + TARGET);
        }
        WalCheck check = WalCheck.of(archive.list());
        assertThat(check.timelines())
            .extracting(WalTimeline::timeline)
            .containsExactly("00000001", "00000002");
        assertThat(check.hasGaps()).as(check.toString()).isFalse();
        assertThat(Main.run("wal-check", "-c", archiveConfig.toString(), "-t", TARGET)).isZero();

        String archived =
            "promoted server held "
                + promoted
                + "; archive "
                + archive.list()
                + ", history: "
                + StreamingFixture.fetchedHistory(archiveConfig, TARGET, shared).strip();
        StreamingFixture.recoverToEnd(base, pgfleet, archiveConfig, TARGET, primary);
        assertThat(StreamingFixture.moves(base.jdbcUrl(TARGET), primary))
            .as(archived)
            .isEqualTo("before,in flight,after");
      } finally {
        restart(primary); // LocalPostgres stops what it started: bring it back for that
      }
    }
  }

  /** The primary dies: every process of it stops at once, nothing is flushed or sent. */
  private static void crash(LocalPostgres server) throws Exception {
    pgCtl(server, "stop", "-m", "immediate", "-w");
  }

  private static void restart(LocalPostgres server) throws Exception {
    Process status =
        new ProcessBuilder(
                server.serverUserCommand(
                    List.of(
                        server.binDir().resolve("pg_ctl").toString(),
                        "status",
                        "-D",
                        server.dataDir().toString())))
            .redirectErrorStream(true)
            .start();
    status.getInputStream().readAllBytes();
    if (status.waitFor() != 0) {
      pgCtl(server, "start", "-w", "-l", server.logFile().toString());
    }
  }

  private static void pgCtl(LocalPostgres server, String... args) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(List.of(server.binDir().resolve("pg_ctl").toString()));
    command.addAll(List.of(args));
    command.addAll(List.of("-D", server.dataDir().toString()));
    Process p =
        new ProcessBuilder(server.serverUserCommand(command)).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException("pg_ctl " + args[0] + " failed: " + out);
    }
  }
}
