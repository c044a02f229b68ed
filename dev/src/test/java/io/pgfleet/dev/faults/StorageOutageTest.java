package io.pgfleet.dev.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.commands.BackupParams;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.wire.Topics;
import io.pgfleet.dev.LocalWorkerConfigs;
import io.pgfleet.local.LocalS3;
import io.pgfleet.local.LocalStack;
import io.pgfleet.local.SampleFleet.SampleDatabase;
import io.pgfleet.worker.ResultStream;
import io.pgfleet.worker.Worker;
import io.pgfleet.worker.WorkerConfigs;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

/** S3 goes away while parts of a backup are being uploaded, and comes back. */
@Tag("faults")
class StorageOutageTest {
  private static final long RATE = 2L * 1024 * 1024;

  @TempDir Path dir;

  @Test
  void s3_unavailable_mid_upload_is_retried_and_leaves_one_whole_artifact_and_no_open_upload()
      throws Exception {
    LocalStack shared = LocalStack.shared();
    SampleDatabase db = Probes.tinyDatabase(shared.postgres(), "s3out_db");
    // About 12 MB uncompressed: more than two 5 MiB parts, so the outage hits a part upload.
    shared
        .postgres()
        .execute(
            db.name(),
            "INSERT INTO events SELECT i, repeat(md5(i::text), 2) FROM generate_series(100, 160000) i");
    shared.postgres().createDatabase("s3out_ledger", shared.postgres().superuser());
    Topics topics = new Topics("s3out");
    try (LocalS3 s3 = LocalS3.start(dir.resolve("s3"))) {
      s3.createBucket("s3out");
      var config =
          WorkerConfigs.retries(
              WorkerConfigs.throttled(
                  LocalWorkerConfigs.of(
                      shared.kafka(),
                      s3,
                      shared.postgres(),
                      shared.postgres(),
                      "s3out-w",
                      topics,
                      "s3out",
                      "s3out_ledger",
                      List.of(db)),
                  RATE),
              6,
              Duration.ofMillis(500));
      try (ResultStream results =
              new ResultStream(shared.kafka().bootstrapServers(), topics.results());
          Worker worker = Worker.start(config);
          CommandPublisher publisher =
              CommandPublisher.connect(shared.kafka().bootstrapServers(), topics, Map.of());
          S3Client client = Probes.s3(s3)) {
        Command command =
            Commands.backup(db.name()).id("s3out-1").params(new BackupParams(null, 0)).build();
        publisher.publish(command).join();
        results.awaitEvent(
            e ->
                command.id().equals(e.data().commandId())
                    && e.outcome() == Outcome.PROGRESS
                    && e.data().progress().bytesDone() > 6L * 1024 * 1024);

        s3.stop();
        Thread.sleep(5_000); // longer than the S3 client's own retries: the run must try again
        s3.start();

        ResultEvent end = results.awaitTerminal(command.id());
        assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.SUCCEEDED);
        assertThat(end.data().statistics().get("tries")).as("tries").isNotNull();
        assertThat(Probes.keys(client, "s3out", command.id())).hasSize(2);
        assertThat(Probes.openUploads(client, "s3out")).isZero();
        long starts =
            results.eventsFor(command.id()).stream()
                .filter(e -> e.outcome() == Outcome.STARTED)
                .map(ResultEvent::id)
                .distinct()
                .count();
        FaultSummary.record("S3 unavailable mid-upload", 1, 1, (int) starts, 0, (int) starts - 1);
      }
    }
  }
}
