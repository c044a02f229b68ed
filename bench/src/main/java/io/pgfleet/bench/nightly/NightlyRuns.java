package io.pgfleet.bench.nightly;

import io.pgfleet.bench.CpuMeter;
import io.pgfleet.bench.Report;
import io.pgfleet.bench.Samples;
import io.pgfleet.worker.procedure.backup.ZstdCommandLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/** What the fleet-nightly scenario measured, run by run, and the report made of it. */
final class NightlyRuns {
  /**
   * One night's backups of every database.
   *
   * @param seconds from the first command published (the first pg_dump started) to the last result
   *     received (the last pg_dump exited)
   * @param bytes all backups stored, together
   * @param busySeconds the runs' durations added up (for the baseline: its wall time)
   * @param cpu the CPU time the machine spent meanwhile
   */
  record Run(double seconds, double bytes, double busySeconds, CpuMeter.Used cpu) {
    Run withCpu(CpuMeter.Used used) {
      return new Run(seconds, bytes, busySeconds, used);
    }
  }

  private final int databases;
  private final long databaseBytes;
  private final List<Run> pgfleet = new ArrayList<>();
  private final List<Run> baseline = new ArrayList<>();
  private final List<Run> floor = new ArrayList<>();

  NightlyRuns(int databases, long databaseBytes) {
    this.databases = databases;
    this.databaseBytes = databaseBytes;
  }

  void pgfleet(Run run) {
    pgfleet.add(run);
  }

  void baseline(Run run) {
    baseline.add(run);
  }

  void floor(Run run) {
    floor.add(run);
  }

  Report report(int concurrentRuns, int zstdLevel, String machine) {
    Samples busy = of(pgfleet, Run::busySeconds);
    Samples wall = of(pgfleet, Run::seconds);
    return new Report(
            String.format(
                Locale.ROOT,
                "fleet-nightly: backups of %d service databases, %.0f MB in all (%d runs each)",
                databases,
                databaseBytes / 1e6,
                pgfleet.size()))
        .row("wall time, s", wall, of(baseline, Run::seconds), 0.42)
        .row(
            "stored, MB",
            of(pgfleet, r -> r.bytes() / 1e6),
            of(baseline, r -> r.bytes() / 1e6),
            1.0)
        .row(
            "wall time against the floor (the same dumps and codec, no store), s",
            wall,
            of(floor, Run::seconds),
            Double.NaN)
        .row(
            "CPU time of the machine, s",
            of(pgfleet, r -> r.cpu().host()),
            of(baseline, r -> r.cpu().host()),
            Double.NaN)
        .row(
            "database MB backed up per second",
            of(pgfleet, r -> databaseBytes / 1e6 / r.seconds()),
            of(baseline, r -> databaseBytes / 1e6 / r.seconds()),
            Double.NaN)
        .note(
            String.format(
                Locale.ROOT,
                "pgfleet: one `backup` command per database (`compression: zstd`, level %d, given"
                    + " explicitly: pg_dump -Z0 piped through zstd in the worker), all published"
                    + " at once; one in-process worker, maxConcurrentRuns %d (the shipped default,"
                    + " sized for 2 cores); each dump streamed to S3 (S3Proxy) with its manifest"
                    + " and every table's rows, bytes and row-hash sum read in the stream; the"
                    + " worker warmed by one unmeasured night of the same backups (a nightly worker"
                    + " is a daemon that ran last night's); time from the first publish to the last"
                    + " result.",
                zstdLevel,
                concurrentRuns))
        .note(
            String.format(
                Locale.ROOT,
                "pgfleet's runs added up to %.1f s (median) in %.1f s of wall time: %.2f runs at"
                    + " a time on average.",
                busy.median(),
                wall.median(),
                busy.median() / wall.median()))
        .note(
            "baseline: the runbook's `backup_all.sh`, `pg_dump --format=custom --compress=6"
                + " --file=...` for one database after the other, to local files.")
        .note(floorNote(concurrentRuns, zstdLevel))
        .note(cpuNote())
        .note(
            "Sides rotate their order run by run; the data is generated once (fixed seed) and not changed.")
        .note("machine: " + machine + "; fsync and synchronous_commit on.");
  }

  private String floorNote(int lanes, int zstdLevel) {
    double floorWall = of(floor, Run::seconds).median();
    double runbookWall = of(baseline, Run::seconds).median();
    return String.format(
        Locale.ROOT,
        "floor: `pg_dump -Fc -Z0 | %s > /dev/null` (as the superuser), %d databases at a time"
            + " from a queue: the dumps and the codec pgfleet runs, by the standard tools, with"
            + " nothing stored, read back or proved. It took %.2f s, %.2fx the runbook's loop.",
        String.join(" ", ZstdCommandLine.command(zstdLevel)),
        lanes,
        floorWall,
        floorWall / runbookWall);
  }

  private String cpuNote() {
    CpuMeter.Used ours = CpuMeter.Used.median(cpus(pgfleet));
    CpuMeter.Used runbook = CpuMeter.Used.median(cpus(baseline));
    CpuMeter.Used least = CpuMeter.Used.median(cpus(floor));
    return String.format(
        Locale.ROOT,
        "CPU seconds on the machine (/proc/stat; each side's run of median CPU): pgfleet %.1f (the"
            + " benchmark's JVM, with the worker, Kafka and S3Proxy, %.1f; every other process,"
            + " PostgreSQL and pg_dump above all, %.1f); the runbook %.1f (other processes %.1f);"
            + " the floor %.1f (other processes, PostgreSQL, pg_dump and zstd above all, %.1f). %s",
        ours.host(),
        ours.benchJvm(),
        ours.rest(),
        runbook.host(),
        runbook.rest(),
        least.host(),
        least.rest(),
        CpuMeter.floorNote());
  }

  private static List<CpuMeter.Used> cpus(List<Run> runs) {
    return runs.stream().map(Run::cpu).toList();
  }

  private static Samples of(List<Run> runs, ToDoubleFunction<Run> metric) {
    return new Samples(runs.stream().mapToDouble(metric).toArray());
  }
}
