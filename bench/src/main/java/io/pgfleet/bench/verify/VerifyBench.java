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
 * table with psql, dropdb. Both sides restore a {@code pg_dump -Fc -Z6} archive; they alternate.
 */
public final class VerifyBench {
  static final String DATABASE = "bench_shop";
  static final String SCRATCH = "bench_drill_manual";

  /**
   * @param size the database size
   * @param runs how many times each side runs
   * @param dir where the benchmark's servers and the baseline's dump file live
   */
  public record Options(long size, int runs, Path dir) {
    public Options {
      if (size < 1 || runs < 1) {
        throw new IllegalArgumentException("size and runs must be at least 1");
      }
    }
  }

  /** Runs the scenario on a fresh local stack under {@code options.dir()}; logs to {@code log}. */
  public static Report run(Options options, PrintStream log) throws Exception {
    try (BenchStack stack = BenchStack.start(options.dir())) {
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
  }

  private static Report measure(
      BenchStack stack, ClientTools tools, Path file, long size, Options options, PrintStream log)
      throws Exception {
    List<Double> pgfleet = new ArrayList<>();
    List<Double> drillMs = new ArrayList<>();
    List<Double> restoreMs = new ArrayList<>();
    List<Double> checkMs = new ArrayList<>();
    List<Double> manual = new ArrayList<>();
    List<Double> restoreSeconds = new ArrayList<>();
    try (ThroughWorker worker = new ThroughWorker(stack, DATABASE)) {
      ResultEvent backup =
          worker.run(
              Operation.BACKUP,
              ThroughWorker.backupParams(Map.of("compression", "gzip", "compressionLevel", 6)));
      String artifact = backup.data().artifacts().get(0).uri();
      for (int run = 1; run <= options.runs(); run++) {
        for (int side = 0; side < 2; side++) {
          if ((side == 0) == (run % 2 == 1)) {
            long start = System.nanoTime();
            ResultEvent end = worker.run(Operation.VERIFY_BACKUP, new VerifyBackupParams(artifact));
            double seconds = (System.nanoTime() - start) / 1e9;
            pgfleet.add(seconds);
            Map<String, Object> stats = end.data().statistics();
            drillMs.add(((Number) stats.get("drillMs")).doubleValue());
            restoreMs.add(((Number) stats.get("restoreMs")).doubleValue());
            checkMs.add(((Number) stats.get("contentCheckMs")).doubleValue());
            log.printf(
                Locale.ROOT,
                "run %d pgfleet  %7.2f s (restore %s ms, then check %s ms; %s table(s) read"
                    + " back while pg_restore ran)%n",
                run,
                seconds,
                stats.get("restoreMs"),
                stats.get("contentCheckMs"),
                stats.get("tablesReadDuringRestore"));
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
        .row("drill time, s", Samples.of(pgfleet), Samples.of(manual), 1.0)
        .note(
            String.format(
                Locale.ROOT,
                "pgfleet: `verify-backup` command through a worker on an artifact stored by its"
                    + " `backup` (gzip 6); time from publish to result; the worker's own drill"
                    + " time (median) %.2f s, of which createdb and pg_restore %.2f s, then"
                    + " reading back what pg_restore had not finished reading back during the"
                    + " restore, and comparing, %.2f s.",
                Samples.of(drillMs).median() / 1e3,
                Samples.of(restoreMs).median() / 1e3,
                Samples.of(checkMs).median() / 1e3))
        .note(
            String.format(
                Locale.ROOT,
                "runbook: `createdb`, `pg_restore --no-owner --no-privileges --exit-on-error` of a"
                    + " local `pg_dump -Fc -Z6` file (median %.2f s for these two), `psql -c"
                    + " 'SELECT count(*)'` per table, `dropdb`. Sides alternate.",
                Samples.of(restoreSeconds).median()))
        .note(
            "machine: "
                + Machine.describe(stack.serverVersion())
                + "; fsync and synchronous_commit on.");
  }
}
