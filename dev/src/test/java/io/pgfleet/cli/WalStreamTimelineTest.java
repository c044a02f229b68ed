package io.pgfleet.cli;

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
import io.pgfleet.worker.wal.WalFileName;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A promotion under the streamer: it streams a standby's WAL (timeline 1), the standby is promoted
 * (timeline 2), and the streamer archives {@code 00000002.history}, finishes timeline 1 and goes on
 * with timeline 2. A base backup from before the promotion, recovered through {@code pgfleet
 * wal-fetch} with {@code recovery_target_timeline = latest}, holds the rows written after it.
 */
class WalStreamTimelineTest {
  private static final LocalStack stack = LocalStack.shared();
  private static final String BUCKET = "wal-timeline";
  private static final String TARGET = "timeline_db";

  @Test
  void after_a_promotion_the_streamer_archives_the_history_file_and_follows_the_new_timeline(
      @TempDir Path shared) throws Exception {
    Path archiveConfig = ArchiveConfig.write(stack, BUCKET);
    Path pgfleet = PgfleetScript.shared();
    try (StreamingFixture.Servers servers =
        StreamingFixture.servers(stack, shared, BUCKET, TARGET)) {
      LocalPostgres primary = servers.primary();
      SampleDatabase db = servers.db();
      Standby standby = servers.standby();
      Standby base = servers.base();
      try (Worker worker =
              Worker.start(
                  StreamingFixture.worker(
                      stack, "wal-timeline", "wal-timeline-worker", primary, db, standby.port()));
          ArtifactStore store = ArtifactStore.connect(WorkerConfigFile.storage(archiveConfig))) {
        WalArchive archive = new WalArchive(store, TARGET);
        sql(primary.jdbcUrl(TARGET), primary, "INSERT INTO moves VALUES (1, 'before')");
        String tl1 = switchWal(primary.jdbcUrl("postgres"), primary);
        await("timeline 1 streamed from the standby")
            .atMost(Duration.ofSeconds(30))
            .until(() -> archive.list().contains(new WalFileName(tl1)));

        standby.promote();
        StreamingFixture.streamedOnTimeline2(
            archive, standby.jdbcUrl(TARGET), primary, "INSERT INTO moves VALUES (2, 'after')");
        assertThat(worker.streaming()).containsExactly(TARGET);
      }

      assertThat(StreamingFixture.fetchedHistory(archiveConfig, TARGET, shared))
          .isEqualTo(Files.readString(standby.dataDir().resolve("pg_wal/00000002.history")));

      StreamingFixture.recoverToEnd(base, pgfleet, archiveConfig, TARGET, primary);
      assertThat(StreamingFixture.moves(base.jdbcUrl(TARGET), primary)).isEqualTo("before,after");
    }
  }
}
