package io.pgfleet.bench.compression;

import io.pgfleet.bench.BenchStack;
import io.pgfleet.bench.DataSize;
import io.pgfleet.bench.Machine;
import io.pgfleet.bench.Report;
import io.pgfleet.bench.Samples;
import io.pgfleet.bench.dump.ClientTools;
import io.pgfleet.bench.dump.ShopData;
import io.pgfleet.bench.dump.ThroughWorker;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.result.ResultEvent;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Scenario {@code compression}: the same database backed up through a worker with each codec it
 * offers, against the runbooks' {@code pg_dump -Fc -Z6} to a local file: size and time as ratios.
 * The sides rotate their order run by run.
 */
public final class CompressionBench {
  static final String DATABASE = "bench_shop";

  /** Smaller or equal, and at least 1.5x faster: the target for the default. */
  static final double TIME_TARGET = 1 / 1.5;

  /**
   * @param size the database size
   * @param codecs the worker's codecs to measure
   * @param runs how many times each side runs
   * @param dir where the benchmark's servers and the baseline's dump file live
   */
  public record Options(long size, List<Codec> codecs, int runs, Path dir) {
    public Options {
      codecs = List.copyOf(codecs);
      if (size < 1 || runs < 1 || codecs.isEmpty()) {
        throw new IllegalArgumentException("size and runs must be at least 1, and a codec named");
      }
    }
  }

  /** Every codec the worker offers, at the levels worth comparing. */
  public static List<Codec> allCodecs() {
    return List.of(
        Codec.parse("gzip:1"),
        Codec.parse("gzip:6"),
        Codec.parse("gzip:9"),
        Codec.parse("zstd:1"),
        Codec.parse("zstd:2"),
        Codec.parse("zstd:3"),
        Codec.parse("zstd:6"),
        Codec.parse("none"));
  }

  /** Seconds and stored bytes of one backup. */
  record Run(double seconds, long bytes) {}

  /** Runs the scenario on a fresh local stack under {@code options.dir()}; logs to {@code log}. */
  public static Report run(Options options, PrintStream log) throws Exception {
    return BenchStack.fresh(options.dir(), stack -> run(options, stack, log));
  }

  /** Runs the scenario on {@code stack}, which the caller started and closes. */
  public static Report run(Options options, BenchStack stack, PrintStream log) throws Exception {
    ShopData data = ShopData.generate(stack.postgres(), DATABASE, options.size(), log);
    long actual = data.size();
    ClientTools tools = new ClientTools(stack.postgres(), options.dir().resolve("baseline"));
    Path file = options.dir().resolve("baseline").resolve("runbook.dump");
    Map<Codec, List<Run>> pgfleet = new LinkedHashMap<>();
    options.codecs().forEach(c -> pgfleet.put(c, new ArrayList<>()));
    List<Run> baseline = new ArrayList<>();
    int sides = options.codecs().size() + 1;
    try (ThroughWorker worker = new ThroughWorker(stack, DATABASE)) {
      for (int run = 1; run <= options.runs(); run++) {
        for (int i = 0; i < sides; i++) {
          int side = (run - 1 + i) % sides;
          if (side == options.codecs().size()) {
            long start = System.nanoTime();
            tools.pgDump(DATABASE, 6, file);
            Run r = new Run((System.nanoTime() - start) / 1e9, Files.size(file));
            Files.delete(file);
            log(log, run, "pg_dump -Z6", r);
            baseline.add(r);
          } else {
            Codec codec = options.codecs().get(side);
            long start = System.nanoTime();
            ResultEvent end = worker.run(Operation.BACKUP, codec.params());
            Run r =
                new Run(
                    (System.nanoTime() - start) / 1e9,
                    ((Number) end.data().statistics().get("dumpBytes")).longValue());
            log(log, run, "pgfleet " + codec, r);
            pgfleet.get(codec).add(r);
          }
        }
      }
    }
    return report(options, actual, pgfleet, baseline, stack.serverVersion());
  }

  private static void log(PrintStream log, int run, String side, Run r) {
    log.printf(
        Locale.ROOT,
        "run %d %-14s %7.2f s, %s%n",
        run,
        side,
        r.seconds(),
        DataSize.label(r.bytes()));
  }

  private static Report report(
      Options options,
      long size,
      Map<Codec, List<Run>> pgfleet,
      List<Run> baseline,
      String serverVersion) {
    Samples baseSeconds = seconds(baseline);
    Samples baseMb = megabytes(baseline);
    Report report =
        new Report(
            String.format(
                Locale.ROOT,
                "compression: backups of a %s database with each codec, against pg_dump -Z6"
                    + " (%d runs each)",
                DataSize.label(size),
                options.runs()));
    List<String> meeting = new ArrayList<>();
    for (var e : pgfleet.entrySet()) {
      Codec codec = e.getKey();
      boolean isDefault = codec.isDefault();
      String label = codec + (isDefault ? " (default)" : "");
      Samples s = seconds(e.getValue());
      Samples mb = megabytes(e.getValue());
      report.row(label + ": time, s", s, baseSeconds, isDefault ? TIME_TARGET : Double.NaN);
      report.row(label + ": size, MB", mb, baseMb, isDefault ? 1.0 : Double.NaN);
      if (s.median() / baseSeconds.median() <= TIME_TARGET && mb.median() <= baseMb.median()) {
        meeting.add(codec.toString());
      }
    }
    return report
        .note(
            "pgfleet: `backup` command through a worker with each codec (gzip by pg_dump -Z,"
                + " zstd by the worker on pg_dump's uncompressed archive with long-distance"
                + " matching over a 16 MiB window, none); time from publish to result, upload to"
                + " S3, the archive read for each table's rows and sha256, and manifest"
                + " included.")
        .note(
            "baseline: `pg_dump -Fc -Z6` to a local file, no upload. The sides rotate their"
                + " order run by run.")
        .note(
            "Smaller or equal and at least 1.5x faster than the baseline: "
                + (meeting.isEmpty() ? "none" : String.join(", ", meeting))
                + ".")
        .note("machine: " + Machine.describe(serverVersion) + "; fsync and synchronous_commit on.");
  }

  private static Samples seconds(List<Run> runs) {
    return Samples.of(runs.stream().map(Run::seconds).toList());
  }

  private static Samples megabytes(List<Run> runs) {
    return Samples.of(runs.stream().map(r -> DataSize.mb(r.bytes())).toList());
  }
}
