package io.pgfleet.bench.verify;

import io.pgfleet.bench.BenchStack;
import io.pgfleet.bench.DataSize;
import io.pgfleet.bench.Machine;
import io.pgfleet.bench.Report;
import io.pgfleet.bench.Samples;
import io.pgfleet.bench.dump.ClientTools;
import io.pgfleet.bench.dump.ShopData;
import io.pgfleet.bench.dump.ThroughWorker;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.VerifyBackupParams;
import io.pgfleet.commands.result.ResultEvent;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scenario {@code verify-backup}: a restore drill of one backup through the worker (from S3, sha256
 * checked, every table's content proved against the manifest, scratch database dropped) against the
 * runbook's manual sequence on a local file of the same dump: createdb, pg_restore, one count per
 * table with psql, dropdb. The drill runs on two artifacts of the same database: one stored with
 * gzip 6 (pg_dump's own {@code -Z6}, what the runbook restores) and one with the worker's default
 * codec (zstd 2 of pg_dump's uncompressed archive). The three sides rotate.
 */
public final class VerifyBench {
  static final String DATABASE = "bench_shop";
  static final String SCRATCH = "bench_drill_manual";

  /**
   * @param size the database size
   * @param runs how many times each side runs
   * @param dir where the benchmark's servers and the baseline's dump file live
   * @param jobs 1: drill a gzip 6 and a zstd 2 artifact, both streamed into one pg_restore; more:
   *     drill the gzip 6 artifact streamed and with {@code jobs} pg_restore jobs from a local copy
   *     (the stored object: pg_dump's own archive, the runbook's bytes)
   */
  public record Options(long size, int runs, Path dir, int jobs) {
    public Options {
      if (size < 1 || runs < 1 || jobs < 1) {
        throw new IllegalArgumentException("size, runs and jobs must be at least 1");
      }
    }

    public Options(long size, int runs, Path dir) {
      this(size, runs, dir, 1);
    }
  }

  /** Runs the scenario on a fresh local stack under {@code options.dir()}; logs to {@code log}. */
  public static Report run(Options options, PrintStream log) throws Exception {
    return BenchStack.fresh(options.dir(), stack -> run(options, stack, log));
  }

  /** Runs the scenario on {@code stack}, which the caller started and closes. */
  public static Report run(Options options, BenchStack stack, PrintStream log) throws Exception {
    ShopData data = ShopData.generate(stack.postgres(), DATABASE, options.size(), log);
    long size = data.size();
    ClientTools tools = new ClientTools(stack.postgres(), options.dir().resolve("baseline"));
    Path file = options.dir().resolve("baseline").resolve("runbook.dump");
    tools.pgDump(DATABASE, 6, file);
    try {
      return measure(stack, tools, file, size, options, log);
    } finally {
      Files.deleteIfExists(file);
    }
  }

  private static Report measure(
      BenchStack stack, ClientTools tools, Path file, long size, Options options, PrintStream log)
      throws Exception {
    int jobs = options.jobs();
    Drills gzip = new Drills("gzip 6", 1);
    Drills other =
        jobs > 1 ? new Drills("gzip 6, " + jobs + " jobs", jobs) : new Drills("zstd 2", 1);
    List<Double> manual = new ArrayList<>();
    List<Double> restoreSeconds = new ArrayList<>();
    try (ThroughWorker worker = new ThroughWorker(stack, DATABASE)) {
      gzip.artifact =
          worker
              .run(
                  Operation.BACKUP,
                  ThroughWorker.backupParams(Map.of("compression", "gzip", "compressionLevel", 6)))
              .data()
              .artifacts()
              .get(0)
              .uri();
      other.artifact =
          jobs > 1
              ? gzip.artifact
              : worker
                  .run(Operation.BACKUP, ThroughWorker.backupParams(Map.of()))
                  .data()
                  .artifacts()
                  .get(0)
                  .uri();
      for (int run = 1; run <= options.runs(); run++) {
        for (int step = 0; step < 3; step++) {
          int side = (step + run - 1) % 3; // each side takes each position in turn
          if (side < 2) {
            (side == 0 ? gzip : other).run(worker, run, log);
          } else {
            long start = System.nanoTime();
            tools.createdb(SCRATCH);
            tools.pgRestore(file, SCRATCH);
            double restored = (System.nanoTime() - start) / 1e9;
            for (String table : ShopData.TABLES) {
              tools.psql(SCRATCH, "SELECT count(*) FROM " + table);
            }
            tools.dropdb(SCRATCH);
            double seconds = (System.nanoTime() - start) / 1e9;
            manual.add(seconds);
            restoreSeconds.add(restored);
            log.printf(
                Locale.ROOT,
                "run %d runbook  %7.2f s (createdb and pg_restore %.2f s)%n",
                run,
                seconds,
                restored);
          }
        }
      }
    }
    return new Report(
            String.format(
                Locale.ROOT,
                "verify-backup: restore drill of a %s database (%d runs each)",
                DataSize.label(size),
                options.runs()))
        .row("drill time, artifact gzip 6, s", Samples.of(gzip.seconds), Samples.of(manual), 1.0)
        .row(
            "drill time, artifact " + other.codec + ", s",
            Samples.of(other.seconds),
            Samples.of(manual),
            1.0)
        .note(gzip.note())
        .note(other.note())
        .note(
            String.format(
                Locale.ROOT,
                "runbook: `createdb`, `pg_restore --no-owner --no-privileges --exit-on-error` of a"
                    + " local `pg_dump -Fc -Z6` file (median %.2f s for these two), `psql -c"
                    + " 'SELECT count(*)'` per table, `dropdb`. The three sides rotate their order"
                    + " run by run.",
                Samples.of(restoreSeconds).median()))
        .note(
            "each drill sends its `jobs` (1: streamed); a drill without `jobs` lets the worker"
                + " choose, 2 jobs where it may write the decoded archive (README, verify-backup).")
        .note(
            "machine: "
                + Machine.describe(stack.serverVersion())
                + "; fsync and synchronous_commit on.");
  }

  /** The drills of one stored artifact, and what the worker reported of them. */
  private static final class Drills {
    final String codec;
    final int jobs;
    String artifact;
    final List<Double> seconds = new ArrayList<>();
    final List<Double> drillMs = new ArrayList<>();
    final List<Double> restoreMs = new ArrayList<>();
    final List<Double> checkMs = new ArrayList<>();

    Drills(String codec, int jobs) {
      this.codec = codec;
      this.jobs = jobs;
    }

    void run(ThroughWorker worker, int run, PrintStream log) throws Exception {
      long start = System.nanoTime();
      ResultEvent end = worker.run(Operation.VERIFY_BACKUP, new VerifyBackupParams(artifact, jobs));
      double s = (System.nanoTime() - start) / 1e9;
      seconds.add(s);
      Map<String, Object> stats = end.data().statistics();
      if (((Number) stats.get("restoreJobs")).intValue() != jobs) {
        throw new IllegalStateException(
            "the drill ran other jobs than the " + jobs + " sent: " + stats);
      }
      drillMs.add(((Number) stats.get("drillMs")).doubleValue());
      restoreMs.add(((Number) stats.get("restoreMs")).doubleValue());
      checkMs.add(((Number) stats.get("contentCheckMs")).doubleValue());
      log.printf(
          Locale.ROOT,
          "run %d pgfleet (%s) %7.2f s (restore %s ms, then check %s ms; %s table(s) read"
              + " back while pg_restore ran, %s in parts)%n",
          run,
          codec,
          s,
          stats.get("restoreMs"),
          stats.get("contentCheckMs"),
          stats.get("tablesReadDuringRestore"),
          stats.get("tablesReadInParts"));
    }

    String note() {
      return String.format(
          Locale.ROOT,
          "pgfleet (%s): `verify-backup` command through a worker on an artifact stored by its"
              + " `backup`; time from publish to result; the worker's own drill time (median)"
              + " %.2f s, of which createdb and pg_restore %.2f s, then reading back what had not"
              + " been read back during the restore, and comparing, %.2f s.",
          codec,
          Samples.of(drillMs).median() / 1e3,
          Samples.of(restoreMs).median() / 1e3,
          Samples.of(checkMs).median() / 1e3);
    }
  }
}
