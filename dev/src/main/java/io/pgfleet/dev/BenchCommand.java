package io.pgfleet.dev;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.pgfleet.bench.DataSize;
import io.pgfleet.bench.Report;
import io.pgfleet.bench.backupstream.BackupStreamBench;
import io.pgfleet.bench.basebackup.BaseBackupBench;
import io.pgfleet.bench.compression.Codec;
import io.pgfleet.bench.compression.CompressionBench;
import io.pgfleet.bench.nightly.FleetNightlyBench;
import io.pgfleet.bench.overhead.CommandOverheadBench;
import io.pgfleet.bench.purge.PurgeBench;
import io.pgfleet.bench.scale.ScaleBench;
import io.pgfleet.bench.tablerestore.TableRestoreBench;
import io.pgfleet.bench.verify.VerifyBench;
import io.pgfleet.bench.wal.WalPushBench;
import io.pgfleet.cli.Main;
import io.pgfleet.worker.config.PurgePolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pgfleet bench <scenario>}: pgfleet against the runbooks' way, side by side. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description =
        "Benchmarks on a local stack started for the purpose: each scenario runs pgfleet and its"
            + " baseline alternately, then prints medians, min/max and the ratio"
            + " pgfleet/baseline.",
    subcommands = {
      BenchCommand.Purge.class,
      BenchCommand.BackupStream.class,
      BenchCommand.Compression.class,
      BenchCommand.VerifyBackup.class,
      BenchCommand.TableRestore.class,
      BenchCommand.WalPush.class,
      BenchCommand.BaseBackup.class,
      BenchCommand.FleetNightly.class,
      BenchCommand.CommandOverhead.class,
      BenchCommand.Scale.class
    })
final class BenchCommand {

  /** {@code pgfleet bench purge}. */
  @Command(
      name = "purge",
      mixinStandardHelpOptions = true,
      description =
          "Purge of expired outbox rows while another connection inserts: pgfleet's purge"
              + " against a single DELETE (total time, longest transaction, inserter p99"
              + " latency).")
  static final class Purge implements Callable<Integer> {
    @Option(
        names = "--rows",
        defaultValue = "1000000",
        description = "Expired outbox rows (default: ${DEFAULT-VALUE})")
    int rows;

    @Option(
        names = "--batch-by",
        description = "The policy's batchBy for pgfleet's side: key or ctid (default: key)")
    String batchBy;

    @Option(
        names = "--batch-time",
        description = "The policy's batchTime, ms (default: the policy's default)")
    Long batchTimeMs;

    @Option(
        names = "--batch-size",
        description = "The policy's batchSize, rows (default: the policy's default)")
    Integer batchSize;

    @Option(
        names = "--max-batch-size",
        description = "The policy's maxBatchSize, rows (default: the policy's default)")
    Integer maxBatchSize;

    @Option(
        names = "--pause",
        description = "The policy's pause between batches, ms (default: the policy's default)")
    Long pauseMs;

    @Mixin Sides sides;

    @Mixin BenchDir benchDir;

    @Override
    public Integer call() throws Exception {
      io.pgfleet.bench.purge.PurgeBatching batching =
          new io.pgfleet.bench.purge.PurgeBatching(
              batchBy == null ? null : PurgePolicy.BatchBy.parse(batchBy),
              batchTimeMs == null ? null : Duration.ofMillis(batchTimeMs),
              batchSize,
              maxBatchSize,
              pauseMs == null ? null : Duration.ofMillis(pauseMs));
      return runIn(
          benchDir.dir,
          d -> PurgeBench.run(new PurgeBench.Options(rows, sides.count, d, batching), System.err));
    }
  }

  /** {@code --runs}: how often each side runs. */
  static final class Sides {
    @Option(
        names = "--runs",
        defaultValue = "3",
        description = "Runs of each side (default: ${DEFAULT-VALUE})")
    int count;
  }

  /** {@code --dir}: where a scenario's servers, archives and backups keep their data. */
  static final class BenchDir {
    @Option(
        names = "--dir",
        description = "Where the servers keep their data (default: a temporary directory)")
    Path dir;
  }

  /** Where a scenario's servers keep their data: {@code --dir}, or a temporary directory. */
  @FunctionalInterface
  interface Scenario {
    Report run(Path workDir) throws Exception;
  }

  static int runIn(Path dir, Scenario scenario) throws Exception {
    quietLogs();
    Path workDir =
        dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("pgfleet-bench");
    try {
      scenario.run(workDir).print(System.out);
      return 0;
    } finally {
      if (dir == null) {
        deleteTree(workDir);
      }
    }
  }

  /** {@code pgfleet bench backup-stream}. */
  @Command(
      name = "backup-stream",
      mixinStandardHelpOptions = true,
      description =
          "Logical backup to S3 through a worker against pg_dump -Fc -Z6 to a file then aws s3 cp"
              + " (a), and against pg_dump -Fc -Z6 to /dev/null (b); the worker's heap and RSS at"
              + " each size the database grows through.")
  static final class BackupStream implements Callable<Integer> {
    @Option(
        names = "--size",
        defaultValue = "1GB",
        description = "Database size the sides are timed at (default: ${DEFAULT-VALUE})")
    String size;

    @Option(
        names = "--sizes",
        defaultValue = "100MB,500MB,2GB",
        split = ",",
        description = "Further sizes where memory is sampled (default: ${DEFAULT-VALUE})")
    List<String> sizes;

    @Mixin Sides sides;

    @Mixin BenchDir benchDir;

    @Override
    public Integer call() throws Exception {
      List<Long> memorySizes = sizes.stream().map(DataSize::parse).toList();
      return runIn(
          benchDir.dir,
          d ->
              BackupStreamBench.run(
                  new BackupStreamBench.Options(DataSize.parse(size), memorySizes, sides.count, d),
                  System.err));
    }
  }

  /** {@code pgfleet bench compression}. */
  @Command(
      name = "compression",
      mixinStandardHelpOptions = true,
      description =
          "The same database backed up through a worker with each codec against pg_dump -Fc -Z6:"
              + " size and time ratios.")
  static final class Compression implements Callable<Integer> {
    @Option(
        names = "--size",
        defaultValue = "1GB",
        description = "Database size (default: ${DEFAULT-VALUE})")
    String size;

    @Option(
        names = "--codecs",
        split = ",",
        description =
            "Codecs to measure, e.g. gzip:6,zstd:2,none (default: gzip 1/6/9, zstd 1/2/3/6, none)")
    List<String> codecs;

    @Mixin Sides sides;

    @Mixin BenchDir benchDir;

    @Override
    public Integer call() throws Exception {
      List<Codec> chosen =
          codecs == null
              ? CompressionBench.allCodecs()
              : codecs.stream().map(Codec::parse).toList();
      return runIn(
          benchDir.dir,
          d ->
              CompressionBench.run(
                  new CompressionBench.Options(DataSize.parse(size), chosen, sides.count, d),
                  System.err));
    }
  }

  /** {@code pgfleet bench verify-backup}. */
  @Command(
      name = "verify-backup",
      mixinStandardHelpOptions = true,
      description =
          "Restore drill through a worker against the manual runbook sequence (createdb,"
              + " pg_restore of a local file, counts with psql, dropdb).")
  static final class VerifyBackup implements Callable<Integer> {
    @Option(
        names = "--size",
        defaultValue = "1GB",
        description = "Database size (default: ${DEFAULT-VALUE})")
    String size;

    @Mixin Sides sides;

    @Mixin BenchDir benchDir;

    @Override
    public Integer call() throws Exception {
      return runIn(
          benchDir.dir,
          d ->
              VerifyBench.run(
                  new VerifyBench.Options(DataSize.parse(size), sides.count, d), System.err));
    }
  }

  /** {@code pgfleet bench table-restore}. */
  @Command(
      name = "table-restore",
      mixinStandardHelpOptions = true,
      description =
          "One table restored from a stored backup through a worker (ranged GETs of the TOC and"
              + " its block) against a full restore of the same backup into a new database.")
  static final class TableRestore implements Callable<Integer> {
    @Option(
        names = "--size",
        defaultValue = "1GB",
        description = "Database size (default: ${DEFAULT-VALUE})")
    String size;

    @Mixin Sides sides;

    @Mixin BenchDir benchDir;

    @Override
    public Integer call() throws Exception {
      return runIn(
          benchDir.dir,
          d ->
              TableRestoreBench.run(
                  new TableRestoreBench.Options(DataSize.parse(size), sides.count, d), System.err));
    }
  }

  /** {@code pgfleet bench wal-push}. */
  @Command(
      name = "wal-push",
      mixinStandardHelpOptions = true,
      description =
          "WAL archiving as PostgreSQL's archiver runs it (a process per segment): pgfleet"
              + " wal-push to S3 against the runbooks' cp %%p /archive/%%f, plus the cost per"
              + " segment without the process start.")
  static final class WalPush implements Callable<Integer> {
    @Option(
        names = "--segments",
        defaultValue = "64",
        description = "WAL segments of 16 MiB to archive (default: ${DEFAULT-VALUE})")
    int segments;

    @Mixin Sides sides;

    @Mixin BenchDir benchDir;

    @Option(
        names = "--spool",
        description =
            "Also archive with wal-push --spool through the ./pgfleet launcher (run the bench"
                + " through it)")
    boolean spool;

    @Override
    public Integer call() throws Exception {
      Path launcher = spool ? Launcher.path() : null;
      // the archiver starts this very program, as archive_command would
      List<String> pgfleet =
          List.of(
              ProcessHandle.current().info().command().orElse("java"),
              "-cp",
              System.getProperty("java.class.path"),
              Main.class.getName());
      return runIn(
          benchDir.dir,
          d ->
              WalPushBench.run(
                  new WalPushBench.Options(segments, sides.count, d, pgfleet, launcher),
                  System.err));
    }
  }

  /** {@code pgfleet bench base-backup}. */
  @Command(
      name = "base-backup",
      mixinStandardHelpOptions = true,
      description =
          "Physical base backup: pgfleet's base-backup through a worker to S3 against"
              + " pg_basebackup -Ft to a local directory.")
  static final class BaseBackup implements Callable<Integer> {
    @Option(
        names = "--rows",
        defaultValue = "2000000",
        description = "Rows of ~150 bytes in the database (default: ${DEFAULT-VALUE})")
    int rows;

    @Mixin Sides sides;

    @Mixin BenchDir benchDir;

    @Override
    public Integer call() throws Exception {
      return runIn(
          benchDir.dir,
          d -> BaseBackupBench.run(new BaseBackupBench.Options(rows, sides.count, d), System.err));
    }
  }

  /** {@code pgfleet bench fleet-nightly}. */
  @Command(
      name = "fleet-nightly",
      mixinStandardHelpOptions = true,
      description =
          "Nightly backups of the platform's 17 service databases: pgfleet's backup commands"
              + " through one worker against the runbook's backup_all.sh (a sequential pg_dump"
              + " -Fc -Z6 loop); wall time and bytes stored.")
  static final class FleetNightly implements Callable<Integer> {
    @Option(
        names = "--databases",
        defaultValue = "17",
        description = "How many of the 17 service databases (default: ${DEFAULT-VALUE})")
    int databases;

    @Option(
        names = "--min-mb",
        defaultValue = "20",
        description = "Smallest database, MB (default: ${DEFAULT-VALUE})")
    int minMb;

    @Option(
        names = "--max-mb",
        defaultValue = "60",
        description = "Largest database, MB (default: ${DEFAULT-VALUE})")
    int maxMb;

    @Option(
        names = "--zstd-level",
        defaultValue = "3",
        description = "zstd level the backup commands ask for (default: ${DEFAULT-VALUE})")
    int zstdLevel;

    @Mixin Sides sides;

    @Mixin BenchDir benchDir;

    @Override
    public Integer call() throws Exception {
      return runIn(
          benchDir.dir,
          workDir ->
              FleetNightlyBench.run(
                  new FleetNightlyBench.Options(
                      databases, minMb, maxMb, sides.count, zstdLevel, workDir),
                  System.err));
    }
  }

  /** {@code pgfleet bench command-overhead}. */
  @Command(
      name = "command-overhead",
      mixinStandardHelpOptions = true,
      description =
          "Many cheap commands (ANALYZE of a small table) across the platform's databases:"
              + " pgfleet's analyze commands through one worker against a loop of psql -c per"
              + " command; throughput and p50/p99 latency from publish to result.")
  static final class CommandOverhead implements Callable<Integer> {
    @Option(
        names = "--commands",
        defaultValue = "1000",
        description = "Commands per run (default: ${DEFAULT-VALUE})")
    int commands;

    @Option(
        names = "--targets",
        defaultValue = "17",
        description = "Target databases (default: ${DEFAULT-VALUE})")
    int targets;

    @Option(
        names = "--concurrent-runs",
        defaultValue = "2",
        description = "The worker's maxConcurrentRuns (default: ${DEFAULT-VALUE}, as shipped)")
    int concurrentRuns;

    @Mixin Sides sides;

    @Mixin BenchDir benchDir;

    @Override
    public Integer call() throws Exception {
      return runIn(
          benchDir.dir,
          workDir ->
              CommandOverheadBench.run(
                  new CommandOverheadBench.Options(
                      commands, targets, sides.count, concurrentRuns, workDir),
                  System.err));
    }
  }

  /** {@code pgfleet bench scale}. */
  @Command(
      name = "scale",
      mixinStandardHelpOptions = true,
      description =
          "A fleet of many registered targets, against absolute bounds: an idle worker subscribed"
              + " to every target topic (CPU, memory) and a dispatcher firing a schedule for"
              + " every target (time to the last command acknowledged).")
  static final class Scale implements Callable<Integer> {
    @Option(
        names = "--targets",
        defaultValue = "1000",
        description = "Registered targets (default: ${DEFAULT-VALUE})")
    int targets;

    @Option(
        names = "--idle-seconds",
        defaultValue = "60",
        description = "How long the idle worker's CPU is measured (default: ${DEFAULT-VALUE})")
    int idleSeconds;

    @Option(
        names = "--runs",
        defaultValue = "5",
        description = "Idle windows and schedule firings (default: ${DEFAULT-VALUE})")
    int runs;

    @Mixin BenchDir benchDir;

    @Override
    public Integer call() throws Exception {
      return runIn(
          benchDir.dir,
          workDir ->
              ScaleBench.run(
                  new ScaleBench.Options(targets, idleSeconds, runs, workDir), System.err));
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** The report is the output; log lines would only interleave with it (the warm-up fails). */
  private static void quietLogs() {
    if (System.getenv("PGFLEET_LOG_LEVEL") == null
        && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger("io.pgfleet").setLevel(Level.ERROR);
      context.getLogger("org.apache.kafka").setLevel(Level.ERROR);
      context.getLogger("kafka").setLevel(Level.ERROR);
    }
  }
}
