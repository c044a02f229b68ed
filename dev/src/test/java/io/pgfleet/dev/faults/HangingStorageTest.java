package io.pgfleet.dev.faults;

import static org.assertj.core.api.Assertions.assertThat;

import io.pgfleet.cli.Main;
import io.pgfleet.commands.BackupParams;
import io.pgfleet.commands.BaseBackupParams;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.wire.Topics;
import io.pgfleet.dev.LocalWorkerConfigs;
import io.pgfleet.local.LocalStack;
import io.pgfleet.local.SampleFleet.SampleDatabase;
import io.pgfleet.worker.ResultStream;
import io.pgfleet.worker.Worker;
import io.pgfleet.worker.WorkerConfigs;
import io.pgfleet.worker.config.StorageTimeouts;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An object store that accepts connections and never answers (pgbackrest #2763, wal-g #656): every
 * path that writes to it gives up within its documented bound, says so, and leaves no thread
 * behind.
 */
@Tag("faults")
class HangingStorageTest {
  private static final StorageTimeouts TIMEOUTS =
      new StorageTimeouts(
          Duration.ofSeconds(1),
          Duration.ofSeconds(2),
          Duration.ofSeconds(3),
          Duration.ofSeconds(4));
  private static final int TRIES = 2;
  private static final Duration BACKOFF = Duration.ofMillis(300);
  private static final Duration SLACK = Duration.ofSeconds(5);
  private static final String SAYS_SO = "did not answer in time";

  @TempDir Path dir;

  @Test
  void wal_push_to_a_store_that_never_answers_exits_non_zero_within_two_call_timeouts()
      throws Exception {
    try (SilentStore store = SilentStore.silent()) {
      Path config = walConfig(store);
      Path segment = Files.write(dir.resolve("000000010000000000000001"), new byte[1024 * 1024]);

      long start = System.nanoTime();
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code =
          withStderr(
              err,
              () ->
                  Main.run("wal-push", "-c", config.toString(), "-t", "hang", segment.toString()));
      Duration took = Duration.ofNanos(System.nanoTime() - start);

      // wal-push makes two requests (look up, then store): each gives up after the call timeout
      assertThat(code).isNotZero();
      assertThat(took).isLessThan(TIMEOUTS.call().multipliedBy(2).plus(SLACK));
      assertThat(err.toString(StandardCharsets.UTF_8)).contains(SAYS_SO);
      assertThat(s3ThreadsInIo()).isEmpty();
      FaultSummary.record("S3 hangs: wal-push", 1, 1, 1, 0, 0);
    }
  }

  @Test
  void backup_hung_mid_upload_and_base_backup_fail_within_their_bound_and_leave_no_thread_in_io()
      throws Exception {
    LocalStack shared = LocalStack.shared();
    SampleDatabase db = Probes.tinyDatabase(shared.postgres(), "s3hang_db");
    shared.postgres().execute("postgres", "ALTER ROLE \"" + db.owner() + "\" REPLICATION");
    // About 12 MB uncompressed: more than two 5 MiB parts, so the hang stalls a part upload.
    shared
        .postgres()
        .execute(
            db.name(),
            "INSERT INTO events SELECT i, repeat(md5(i::text), 2) FROM generate_series(100, 160000) i");
    shared.postgres().createDatabase("s3hang_ledger", shared.postgres().superuser());
    shared.s3().createBucket("s3hang");
    Topics topics = new Topics("s3hang");
    try (SilentStore store = SilentStore.inFrontOf(shared.s3().endpoint())) {
      var config =
          WorkerConfigs.storeAt(
              WorkerConfigs.retries(
                  WorkerConfigs.throttled(
                      LocalWorkerConfigs.of(
                          shared.kafka(),
                          shared.s3(),
                          shared.postgres(),
                          shared.postgres(),
                          "s3hang-w",
                          topics,
                          "s3hang",
                          "s3hang_ledger",
                          List.of(db)),
                      2L * 1024 * 1024),
                  TRIES,
                  BACKOFF),
              store.endpoint(),
              TIMEOUTS);
      try (ResultStream results =
              new ResultStream(shared.kafka().bootstrapServers(), topics.results());
          Worker worker = Worker.start(config);
          CommandPublisher publisher =
              CommandPublisher.connect(shared.kafka().bootstrapServers(), topics, Map.of())) {
        Command backup =
            Commands.backup(db.name()).id("s3hang-1").params(new BackupParams(null, 0)).build();
        publisher.publish(backup).join();
        results.awaitEvent(
            e ->
                backup.id().equals(e.data().commandId())
                    && e.outcome() == Outcome.PROGRESS
                    && e.data().progress().bytesDone() > 6L * 1024 * 1024);

        store.hang();
        long hungAt = System.nanoTime();
        ResultEvent end = results.awaitTerminal(backup.id());
        Duration backupTook = Duration.ofNanos(System.nanoTime() - hungAt);

        // per try: the stalled part (one call) and the abort of the upload (one call)
        assertFailedWithin(end, TIMEOUTS.call().multipliedBy(2L * TRIES), backupTook);

        Command base =
            Commands.of(Operation.BASE_BACKUP, db.name(), BaseBackupParams.defaults())
                .id("s3hang-2")
                .build();
        long baseStart = System.nanoTime();
        publisher.publish(base).join();
        ResultEvent baseEnd = results.awaitTerminal(base.id());
        Duration baseTook = Duration.ofNanos(System.nanoTime() - baseStart);

        // per try: the store is checked (one call) before pg_basebackup forces a checkpoint
        assertFailedWithin(baseEnd, TIMEOUTS.call().multipliedBy(TRIES), baseTook);
        assertThat(s3ThreadsInIo()).isEmpty();
        FaultSummary.record(
            "S3 hangs: backup, base-backup",
            1,
            2,
            (int) (starts(results, backup) + starts(results, base)),
            0,
            0);
      }
    }
  }

  private static void assertFailedWithin(ResultEvent end, Duration bound, Duration took) {
    assertThat(end.outcome()).as(end.toString()).isEqualTo(Outcome.FAILED);
    assertThat(end.data().error().code()).isEqualTo("STORAGE_FAILED");
    assertThat(end.data().error().retryable()).isTrue();
    assertThat(end.data().error().message()).contains(SAYS_SO);
    assertThat(took).isLessThan(bound.plus(BACKOFF.multipliedBy(4)).plus(SLACK));
  }

  private static long starts(ResultStream results, Command command) {
    return results.eventsFor(command.id()).stream()
        .filter(e -> e.outcome() == Outcome.STARTED)
        .count();
  }

  /** Threads still blocked in an HTTP exchange with S3 after every call has given up. */
  private static List<String> s3ThreadsInIo() throws InterruptedException {
    Thread.sleep(500);
    return Thread.getAllStackTraces().entrySet().stream()
        .filter(
            e ->
                Arrays.stream(e.getValue())
                    .anyMatch(f -> f.getClassName().startsWith("org.apache.http.impl.io")))
        .map(e -> e.getKey().getName())
        .toList();
  }

  private Path walConfig(SilentStore store) throws Exception {
    Path key = Files.writeString(dir.resolve("key"), "k");
    String yaml =
        """
        storage:
          endpoint: %s
          bucket: hang
          accessKey: {file: %s}
          secretKey: {file: %s}
          timeouts: {connect: %ds, read: %ds, attempt: %ds, call: %ds}
        """
            .formatted(
                store.endpoint(),
                key,
                key,
                TIMEOUTS.connect().toSeconds(),
                TIMEOUTS.read().toSeconds(),
                TIMEOUTS.attempt().toSeconds(),
                TIMEOUTS.call().toSeconds());
    return Files.writeString(dir.resolve("worker.yaml"), yaml);
  }

  private static int withStderr(ByteArrayOutputStream err, java.util.function.IntSupplier run) {
    PrintStream saved = System.err;
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      return run.getAsInt();
    } finally {
      System.setErr(saved);
    }
  }
}
