package io.pgfleet.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.pgfleet.bench.Report;
import io.pgfleet.bench.basebackup.BaseBackupBench;
import io.pgfleet.bench.purge.PurgeBench;
import io.pgfleet.bench.wal.WalPushBench;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
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
      BenchCommand.WalPush.class,
      BenchCommand.BaseBackup.class
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
        names = "--runs",
        defaultValue = "3",
        description = "Runs of each side (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(
        names = "--dir",
        description = "Where the servers keep their data (default: a temporary directory)")
    Path dir;

    @Override
    public Integer call() throws Exception {
      quietLogs();
      Path workDir =
          dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("pgfleet-bench");
      try {
        Report report = PurgeBench.run(new PurgeBench.Options(rows, runs, workDir), System.err);
        report.print(System.out);
        return 0;
      } finally {
        if (dir == null) {
          Files.deleteIfExists(workDir); // the servers removed what they kept in it
        }
      }
    }
  }

  /** {@code pgfleet bench wal-push}. */
  @Command(
      name = "wal-push",
      mixinStandardHelpOptions = true,
      description =
          "WAL archiving as PostgreSQL's archiver runs it (a process per segment): pgfleet"
              + " wal-push to S3 against the runbooks' cp %p /archive/%f, plus the cost per"
              + " segment without the process start.")
  static final class WalPush implements Callable<Integer> {
    @Option(
        names = "--segments",
        defaultValue = "64",
        description = "WAL segments of 16 MiB to archive (default: ${DEFAULT-VALUE})")
    int segments;

    @Option(
        names = "--runs",
        defaultValue = "3",
        description = "Runs of each side (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(
        names = "--dir",
        description =
            "Where the servers and archives keep their data (default: a temporary" + " directory)")
    Path dir;

    @Option(
        names = "--spool",
        description =
            "Also archive with wal-push --spool through the ./pgfleet launcher (run the bench"
                + " through it)")
    boolean spool;

    @Override
    public Integer call() throws Exception {
      quietLogs();
      Path launcher = spool ? Launcher.path() : null;
      Path workDir =
          dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("pgfleet-bench");
      try {
        // the archiver starts this very program, as archive_command would
        java.util.List<String> pgfleet =
            java.util.List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName());
        Report report =
            WalPushBench.run(
                new WalPushBench.Options(segments, runs, workDir, pgfleet, launcher), System.err);
        report.print(System.out);
        return 0;
      } finally {
        if (dir == null) {
          deleteTree(workDir);
        }
      }
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

    @Option(
        names = "--runs",
        defaultValue = "3",
        description = "Runs of each side (default: ${DEFAULT-VALUE})")
    int runs;

    @Option(
        names = "--dir",
        description =
            "Where the servers and backups keep their data (default: a temporary" + " directory)")
    Path dir;

    @Override
    public Integer call() throws Exception {
      quietLogs();
      Path workDir =
          dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("pgfleet-bench");
      try {
        Report report =
            BaseBackupBench.run(new BaseBackupBench.Options(rows, runs, workDir), System.err);
        report.print(System.out);
        return 0;
      } finally {
        if (dir == null) {
          deleteTree(workDir);
        }
      }
    }
  }

  private static void deleteTree(Path dir) throws java.io.IOException {
    try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
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
