package io.pgfleet.bench.rpo;

import io.pgfleet.bench.BenchStack;
import io.pgfleet.bench.Machine;
import io.pgfleet.bench.Report;
import io.pgfleet.bench.Samples;
import io.pgfleet.commands.Operation;
import io.pgfleet.local.Directories;
import io.pgfleet.local.LocalPostgres;
import io.pgfleet.worker.Worker;
import io.pgfleet.worker.config.PitrSettings;
import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.config.WalStreamSettings;
import io.pgfleet.worker.storage.ArtifactStore;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Scenario {@code rpo}: how far the archive trails a server that commits, i.e. the recovery point
 * it offers. One writer commits against one server whose WAL goes two ways at once: streamed by a
 * pgfleet worker (segments and the {@code .partial} in progress, to S3) and through PostgreSQL's
 * archiver ({@code archive_command = cp}, {@code archive_timeout}) into a directory, the cheapest
 * archive_command there is. Per commit: the time from its acknowledgement to the first moment the
 * archive held its WAL. A steady writer (several MB/s of WAL) and a quiet one (a small commit a
 * second) are measured in turn.
 */
public final class RpoBench {
  private static final String TARGET = "rpo_db";

  /**
   * @param steadySeconds how long the steady writer commits (its commits are measured)
   * @param walMbPerSecond the steady writer's rate, as 1 KiB rows: 10 commits a second
   * @param quietSeconds how long the quiet writer commits (1 row a second)
   * @param partialInterval the streamer's {@code pitr.stream.partialInterval}
   * @param archiveTimeout the baseline's {@code archive_timeout}
   * @param runs how often each writer runs in turn; the commits of all runs are pooled
   * @param drainBound how long a writer's phase waits, once it stopped counting commits, for both
   *     archives to hold them all; commits still missing then count as not archived
   */
  public record Options(
      int steadySeconds,
      int walMbPerSecond,
      int quietSeconds,
      Duration partialInterval,
      Duration archiveTimeout,
      int runs,
      Path dir,
      Duration drainBound) {
    /** Waits up to {@code archive_timeout} + 30 s for both archives. */
    public Options(
        int steadySeconds,
        int walMbPerSecond,
        int quietSeconds,
        Duration partialInterval,
        Duration archiveTimeout,
        int runs,
        Path dir) {
      this(
          steadySeconds,
          walMbPerSecond,
          quietSeconds,
          partialInterval,
          archiveTimeout,
          runs,
          dir,
          archiveTimeout.plusSeconds(30));
    }
  }

  private RpoBench() {}

  public static Report run(Options options, PrintStream log) throws Exception {
    Path archiveDir = Files.createTempDirectory("pgfleet-rpo-archive");
    try {
      return run(options, log, archiveDir);
    } finally {
      try {
        Directories.deleteTree(archiveDir); // the server that archived into it is stopped by now
      } catch (UncheckedIOException e) {
        log.println("left " + archiveDir + " behind: " + e.getMessage());
      }
    }
  }

  private static Report run(Options options, PrintStream log, Path archiveDir) throws Exception {
    try (BenchStack stack = BenchStack.start(options.dir())) {
      LocalPostgres pg = stack.postgres();
      pg.createDatabase(TARGET, pg.superuser());
      Files.setPosixFilePermissions(archiveDir, PosixFilePermissions.fromString("rwxrwxrwx"));
      archiveCommand(pg, archiveDir, options.archiveTimeout());
      Path scratch = Files.createDirectories(options.dir().resolve("rpo-partials"));
      TargetConfig target =
          stack
              .target(TARGET, pg.superuser(), pg.superuserPassword())
              .operations(Set.of(Operation.HEALTH_CHECK))
              .pitr(
                  PitrSettings.DEFAULTS.withStream(
                      new WalStreamSettings(true, null, options.partialInterval())))
              .build();
      try (Worker worker = Worker.start(stack.workerConfig(Map.of(TARGET, target)));
          ArtifactStore store = ArtifactStore.connect(stack.storage());
          StreamedWatch streamed = new StreamedWatch(store, TARGET, scratch);
          DirectoryWatch archived = new DirectoryWatch(archiveDir)) {
        awaitStreaming(worker);
        streamed.start();
        archived.start();
        RpoPhase phases = new RpoPhase(pg, TARGET, streamed, archived, options.drainBound(), log);
        int rows = options.walMbPerSecond() * 1024 / 10;
        RpoPhase.Lags steady = null;
        RpoPhase.Lags quiet = null;
        for (int run = 1; run <= options.runs(); run++) {
          steady = phases.measure("steady", rows, 100, options.steadySeconds()).plus(steady);
          quiet = phases.measure("quiet", 1, 1000, options.quietSeconds()).plus(quiet);
        }
        return report(stack, options, steady, quiet);
      } finally {
        pg.execute("postgres", "SELECT pg_drop_replication_slot('pgfleet_" + TARGET + "')");
      }
    }
  }

  private static void archiveCommand(LocalPostgres pg, Path dir, Duration timeout) {
    pg.execute("postgres", "ALTER SYSTEM SET archive_mode = 'on'");
    pg.execute(
        "postgres",
        "ALTER SYSTEM SET archive_command = 'test ! -f " + dir + "/%f && cp %p " + dir + "/%f'");
    pg.execute("postgres", "ALTER SYSTEM SET archive_timeout = '" + timeout.toSeconds() + "s'");
    pg.stop();
    pg.start();
  }

  private static void awaitStreaming(Worker worker) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (!worker.streaming().contains(TARGET)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the worker did not start streaming within 60 s");
      }
      Thread.sleep(100);
    }
  }

  private static Report report(
      BenchStack stack, Options options, RpoPhase.Lags steady, RpoPhase.Lags quiet)
      throws Exception {
    Report report =
        new Report("rpo: commit to archive, streamed vs archive_command")
            .bounded(
                "steady writer ("
                    + String.format(Locale.ROOT, "%.1f", steady.walMbPerSecond())
                    + " MB/s of WAL): s from commit to archive",
                Samples.of(steady.streamed()),
                Samples.of(steady.archived()),
                5.0)
            .bounded(
                "quiet writer (1 commit/s): s from commit to archive",
                Samples.of(quiet.streamed()),
                Samples.of(quiet.archived()),
                5.0);
    return report
        .note("machine: " + Machine.describe(stack.serverVersion()))
        .note(
            "pgfleet: the worker streams over the replication protocol to S3, partialInterval "
                + options.partialInterval().toSeconds()
                + " s; baseline: archive_command = cp into a local directory, archive_timeout "
                + options.archiveTimeout().toSeconds()
                + " s (any archive_command to S3 adds its upload; pgfleet wal-push adds a JVM"
                + " start per segment, see wal-push)")
        .note(
            "both archives fed by the same server and writer at once; a commit's time is from"
                + " its acknowledgement to the first look (every 100 ms) that found its WAL in the"
                + " archive: a complete segment, or a .partial reaching past it")
        .note(steady.summary("steady"))
        .note(quiet.summary("quiet"));
  }
}
