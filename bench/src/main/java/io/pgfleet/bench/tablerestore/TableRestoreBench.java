package io.pgfleet.bench.tablerestore;

import io.pgfleet.bench.BenchStack;
import io.pgfleet.bench.DataSize;
import io.pgfleet.bench.Machine;
import io.pgfleet.bench.Report;
import io.pgfleet.bench.Samples;
import io.pgfleet.bench.dump.ShopData;
import io.pgfleet.bench.dump.ThroughWorker;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.RestoreParams;
import io.pgfleet.commands.result.ResultEvent;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scenario {@code table-restore}: restoring one table of a stored backup (the {@code customers}
 * table, about 5% of the data) through the worker, which reads only the TOC and that table's block
 * with ranged GETs, against a full restore of the same backup into a new database. Both from S3,
 * alternating; bytes read are the worker's {@code bytesRead} against the object's size.
 */
public final class TableRestoreBench {
  static final String DATABASE = "bench_shop";
  static final String TABLE = "customers";
  static final String FULL = "bench_shop_full";

  /**
   * @param size the database size
   * @param runs how many times each side runs
   * @param dir where the benchmark's servers live
   */
  public record Options(long size, int runs, Path dir) {
    public Options {
      if (size < 1 || runs < 1) {
        throw new IllegalArgumentException("size and runs must be at least 1");
      }
    }
  }

  public static Report run(Options options, PrintStream log) throws Exception {
    return BenchStack.fresh(options.dir(), stack -> run(options, stack, log));
  }

  /** Runs the scenario on {@code stack}, which the caller started and closes. */
  public static Report run(Options options, BenchStack stack, PrintStream log) throws Exception {
    ShopData data = ShopData.generate(stack.postgres(), DATABASE, options.size(), log);
    long size = data.size();
    List<Double> oneTable = new ArrayList<>();
    List<Double> full = new ArrayList<>();
    List<Double> bytesRead = new ArrayList<>();
    double objectBytes;
    try (ThroughWorker worker = new ThroughWorker(stack, DATABASE)) {
      ResultEvent backup =
          worker.run(
              Operation.BACKUP,
              ThroughWorker.backupParams(Map.of("compression", "gzip", "compressionLevel", 6)));
      String artifact = backup.data().artifacts().get(0).uri();
      objectBytes = backup.data().artifacts().get(0).bytes();
      for (int run = 1; run <= options.runs(); run++) {
        for (int side = 0; side < 2; side++) {
          if ((side == 0) == (run % 2 == 1)) {
            stack.postgres().execute(DATABASE, "DROP TABLE " + TABLE);
            long start = System.nanoTime();
            ResultEvent end =
                worker.run(
                    Operation.RESTORE,
                    new RestoreParams(
                        artifact,
                        RestoreParams.Mode.TABLES,
                        null,
                        List.of(TABLE),
                        false,
                        false,
                        null));
            double seconds = (System.nanoTime() - start) / 1e9;
            oneTable.add(seconds);
            bytesRead.add(((Number) end.data().statistics().get("bytesRead")).doubleValue());
            log.printf(Locale.ROOT, "run %d one table %7.2f s%n", run, seconds);
          } else {
            long start = System.nanoTime();
            worker.run(
                Operation.RESTORE,
                new RestoreParams(
                    artifact, RestoreParams.Mode.NEW_DATABASE, FULL, null, null, null, null));
            double seconds = (System.nanoTime() - start) / 1e9;
            full.add(seconds);
            stack.postgres().execute("postgres", "DROP DATABASE " + FULL + " WITH (FORCE)");
            log.printf(Locale.ROOT, "run %d full      %7.2f s%n", run, seconds);
          }
        }
      }
    }
    List<Double> objects = new ArrayList<>();
    bytesRead.forEach(b -> objects.add(objectBytes / 1e6));
    List<Double> readMb = bytesRead.stream().map(b -> b / 1e6).toList();
    return new Report(
            String.format(
                Locale.ROOT,
                "table-restore: one table of a %s database against a full restore (%d runs"
                    + " each)",
                DataSize.label(size),
                options.runs()))
        .row("restore time, s", Samples.of(oneTable), Samples.of(full), 0.2)
        .row("bytes read, MB", Samples.of(readMb), Samples.of(objects), 0.1)
        .note(
            "pgfleet: `restore` mode tables of `"
                + TABLE
                + "` (schema and data; dropped before each run, not timed) from an artifact"
                + " stored by `backup` (gzip 6): the TOC and the table's block fetched with"
                + " ranged GETs; time from publish to result.")
        .note(
            "baseline: `restore` mode new-database of the same artifact (the whole object"
                + " downloaded, then pg_restore); its bytes read are the object's size.")
        .note(
            "machine: "
                + Machine.describe(stack.serverVersion())
                + "; fsync and synchronous_commit on.");
  }
}
