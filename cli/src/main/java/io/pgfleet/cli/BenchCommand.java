package io.pgfleet.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.pgfleet.bench.Report;
import io.pgfleet.bench.nightly.FleetNightlyBench;
import io.pgfleet.bench.overhead.CommandOverheadBench;
import io.pgfleet.bench.purge.PurgeBench;
import io.pgfleet.bench.scale.ScaleBench;
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
      return runIn(
          dir,
          workDir ->
              FleetNightlyBench.run(
                  new FleetNightlyBench.Options(databases, minMb, maxMb, runs, zstdLevel, workDir),
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
      return runIn(
          dir,
          workDir ->
              CommandOverheadBench.run(
                  new CommandOverheadBench.Options(
                      commands, targets, runs, concurrentRuns, workDir),
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

    @Option(
        names = "--dir",
        description = "Where the servers keep their data (default: a temporary directory)")
    Path dir;

    @Override
    public Integer call() throws Exception {
      return runIn(
          dir,
          workDir ->
              ScaleBench.run(
                  new ScaleBench.Options(targets, idleSeconds, runs, workDir), System.err));
    }
  }

  /** How a scenario runs in its work directory. */
  @FunctionalInterface
  interface Scenario {
    Report run(Path workDir) throws Exception;
  }

  /** Runs a scenario in {@code dir} (or a temporary directory) and prints its report. */
  private static int runIn(Path dir, Scenario scenario) throws Exception {
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

  private static void deleteTree(Path root) throws java.io.IOException {
    try (var paths = Files.walk(root)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
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
