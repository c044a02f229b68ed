package io.pgfleet.bench.backupstream;

import io.pgfleet.bench.BenchStack;
import io.pgfleet.bench.CpuMeter;
import io.pgfleet.bench.DataSize;
import io.pgfleet.bench.Machine;
import io.pgfleet.bench.Report;
import io.pgfleet.bench.Samples;
import io.pgfleet.bench.dump.ClientTools;
import io.pgfleet.bench.dump.ShopData;
import io.pgfleet.commands.BackupParams;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.worker.procedure.backup.ZstdCommandLine;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * Scenario {@code backup-stream}: a logical backup of the shop database to S3 through a worker
 * (shipped defaults), against the runbooks' {@code pg_dump -Fc -Z6} to a file then {@code aws s3
 * cp} (a), {@code pg_dump -Fc -Z6 > /dev/null} (b, the limit) and {@code pg_dump -Z0 | zstd} with
 * the worker's parameters (c, {@link #ZSTD}); the sides rotate their order run by run. The worker's
 * own JVM's resident memory is sampled during every backup, at each size the database grows to.
 */
public final class BackupStreamBench {
  static final String DATABASE = "bench_shop";

  /**
   * @param size the database size the three sides are timed at
   * @param memorySizes further sizes the database grows through, where one backup's memory is
   *     sampled
   * @param runs how many times each side runs at {@code size}
   * @param dir where the benchmark's servers and the baseline's dump file live
   */
  public record Options(long size, List<Long> memorySizes, int runs, Path dir) {
    public Options {
      memorySizes = List.copyOf(memorySizes);
      if (size < 1 || runs < 1 || memorySizes.stream().anyMatch(s -> s < 1)) {
        throw new IllegalArgumentException("sizes and runs must be at least 1");
      }
    }
  }

  private final BenchStack stack;
  private final ClientTools tools;
  private final Path dumpFile;
  private final boolean aws;
  private final PrintStream log;

  private BackupStreamBench(BenchStack stack, Path dir, PrintStream log) {
    this.stack = stack;
    this.tools = new ClientTools(stack.postgres(), dir.resolve("baseline"));
    this.dumpFile = dir.resolve("baseline").resolve("runbook.dump");
    this.aws = tools.hasAws();
    this.log = log;
  }

  /** Runs the scenario on a fresh local stack under {@code options.dir()}; logs to {@code log}. */
  public static Report run(Options options, PrintStream log) throws Exception {
    return BenchStack.fresh(options.dir(), stack -> run(options, stack, log));
  }

  /** Runs the scenario on {@code stack}, which the caller started and closes. */
  public static Report run(Options options, BenchStack stack, PrintStream log) throws Exception {
    return new BackupStreamBench(stack, options.dir(), log).measure(options);
  }

  /** One backup through the worker: its time, its stored size and the memory it took. */
  record WorkerRun(double seconds, long bytes, long highWater, long heapAfterGc, long peakRss) {}

  /** The worker's default codec, from its own parameters, as the standalone tool on one thread. */
  static final List<String> ZSTD = ZstdCommandLine.command(BackupParams.DEFAULT_ZSTD_LEVEL);

  private Report measure(Options options) throws Exception {
    ShopData data = ShopData.create(stack.postgres(), DATABASE);
    TreeSet<Long> sizes = new TreeSet<>(options.memorySizes());
    sizes.add(options.size());
    List<Long> actualSizes = new ArrayList<>();
    List<WorkerRun> memory = new ArrayList<>();
    List<WorkerRun> pgfleet = new ArrayList<>();
    List<double[]> runbook = new ArrayList<>(); // dump s, upload s, file bytes
    List<Double> limit = new ArrayList<>();
    List<Double> sameCodec = new ArrayList<>();
    List<List<CpuMeter.Used>> cpu =
        List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    long timedSize = 0;
    try (ChildWorker worker = new ChildWorker(stack, DATABASE, options.dir())) {
      for (long size : sizes) {
        log.printf(
            Locale.ROOT, "growing the database to %s (fixed seed)...%n", DataSize.label(size));
        data.growTo(size);
        long actual = data.size();
        if (size != options.size()) {
          WorkerRun r = viaWorker(worker, "memory at " + DataSize.label(actual), 0);
          actualSizes.add(actual);
          memory.add(r);
          continue;
        }
        timedSize = actual;
        for (int run = 1; run <= options.runs(); run++) {
          for (int i = 0; i < 4; i++) {
            int side = (run - 1 + i) % 4;
            CpuMeter meter = CpuMeter.start(worker.pid());
            switch (side) {
              case 0 -> pgfleet.add(viaWorker(worker, "pgfleet", run));
              case 1 -> runbook.add(dumpThenUpload(run));
              case 2 -> limit.add(dumpToNull(run));
              default -> sameCodec.add(zstdToNull(run));
            }
            CpuMeter.Used used = meter.used();
            cpu.get(side).add(used);
            log.printf(
                Locale.ROOT, "run %d %-8s %s%n", run, SIDES.get(side), used.describe("worker"));
          }
        }
        actualSizes.add(actual);
        memory.add(
            pgfleet.stream()
                .max(java.util.Comparator.comparingLong(WorkerRun::peakRss))
                .orElseThrow());
      }
    }
    return report(options, timedSize, pgfleet, runbook, limit, sameCodec, actualSizes, memory)
        .note(cpuNote(cpu));
  }

  /** The sides in the order of {@link #measure}'s rotation, as their log lines name them. */
  private static final List<String> SIDES = List.of("pgfleet", "runbook", "limit", "zstd");

  /**
   * The CPU time of the sides against the same codec: with both cores busy, the wall time follows
   * the work done on them, so this says which work keeps pgfleet above (c).
   */
  private static String cpuNote(List<List<CpuMeter.Used>> cpu) {
    CpuMeter.Used ours = CpuMeter.Used.median(cpu.get(0));
    CpuMeter.Used theirs = CpuMeter.Used.median(cpu.get(3));
    return String.format(
        Locale.ROOT,
        "CPU seconds on the machine (/proc/stat; each side's run of median CPU): pgfleet %.1f (the"
            + " worker's JVM %.1f, the benchmark's JVM with Kafka and S3Proxy %.1f, every other"
            + " process, PostgreSQL and pg_dump above all, %.1f); (c) %.1f (the benchmark's JVM"
            + " %.1f, every other process, PostgreSQL, pg_dump and zstd above all, %.1f). %s",
        ours.host(),
        ours.process(),
        ours.benchJvm(),
        ours.rest(),
        theirs.host(),
        theirs.benchJvm(),
        theirs.rest(),
        CpuMeter.floorNote());
  }

  private WorkerRun viaWorker(ChildWorker worker, String side, int run) throws Exception {
    BackupParams params = BackupParams.defaults();
    try (MemoryWatch watch = new MemoryWatch(worker.pid())) {
      long start = System.nanoTime();
      ResultEvent end = worker.run(Operation.BACKUP, params);
      double seconds = (System.nanoTime() - start) / 1e9;
      watch.close();
      long bytes = ((Number) end.data().statistics().get("dumpBytes")).longValue();
      long highWater = watch.highWaterBytes();
      WorkerRun r =
          new WorkerRun(seconds, bytes, highWater, worker.heapAfterGc(), watch.peakRssBytes());
      log.printf(
          Locale.ROOT,
          "run %d %-8s %7.2f s, %s, worker VmHWM %.0f MB, heap after GC %.0f MB, peak RSS %.0f"
              + " MB%n",
          run,
          side,
          seconds,
          DataSize.label(bytes),
          DataSize.mb(r.highWater()),
          DataSize.mb(r.heapAfterGc()),
          DataSize.mb(r.peakRss()));
      return r;
    }
  }

  private double[] dumpThenUpload(int run) throws Exception {
    Files.deleteIfExists(dumpFile);
    long start = System.nanoTime();
    tools.pgDump(DATABASE, 6, dumpFile);
    long dumped = System.nanoTime();
    upload(dumpFile, "runbook/" + DATABASE + "-" + run + ".dump");
    long end = System.nanoTime();
    double[] r = {(dumped - start) / 1e9, (end - dumped) / 1e9, Files.size(dumpFile)};
    log.printf(
        Locale.ROOT,
        "run %d %-8s %7.2f s (pg_dump %.2f s, upload %.2f s), %s%n",
        run,
        "runbook",
        r[0] + r[1],
        r[0],
        r[1],
        DataSize.label((long) r[2]));
    Files.delete(dumpFile);
    return r;
  }

  private double dumpToNull(int run) throws Exception {
    long start = System.nanoTime();
    tools.pgDump(DATABASE, 6, Path.of("/dev/null"));
    double seconds = (System.nanoTime() - start) / 1e9;
    log.printf(Locale.ROOT, "run %d %-8s %7.2f s%n", run, "limit", seconds);
    return seconds;
  }

  private double zstdToNull(int run) throws Exception {
    long start = System.nanoTime();
    tools.pgDumpThrough(DATABASE, ZSTD, Path.of("/dev/null"));
    double seconds = (System.nanoTime() - start) / 1e9;
    log.printf(Locale.ROOT, "run %d %-8s %7.2f s%n", run, "zstd", seconds);
    return seconds;
  }

  /** With the aws CLI as the runbook does; without it, one PUT through the AWS SDK. */
  private void upload(Path file, String key) throws Exception {
    if (aws) {
      tools.awsUpload(
          file,
          stack.bucket(),
          key,
          new ClientTools.S3Login(
              stack.s3().endpoint().toString(),
              stack.s3().region(),
              stack.s3().accessKey(),
              stack.s3().secretKey(),
              stack.s3().certificate()));
      return;
    }
    // A plain SDK client, as an operator's script would use: the baseline is not pgfleet's code.
    try (S3Client s3 =
        S3Client.builder()
            .endpointOverride(stack.s3().endpoint())
            .region(Region.of(stack.s3().region()))
            .forcePathStyle(true)
            .credentialsProvider(
                StaticCredentialsProvider.create(
                    AwsBasicCredentials.create(stack.s3().accessKey(), stack.s3().secretKey())))
            .build()) {
      s3.putObject(
          PutObjectRequest.builder().bucket(stack.bucket()).key(key).build(),
          RequestBody.fromFile(file));
    }
  }

  private Report report(
      Options options,
      long timedSize,
      List<WorkerRun> pgfleet,
      List<double[]> runbook,
      List<Double> limit,
      List<Double> sameCodec,
      List<Long> sizes,
      List<WorkerRun> memory)
      throws Exception {
    Samples worker = Samples.of(pgfleet.stream().map(WorkerRun::seconds).toList());
    Samples runbookSeconds = Samples.of(runbook.stream().map(r -> r[0] + r[1]).toList());
    BackupParams defaults = BackupParams.defaults();
    Report report =
        new Report(
                String.format(
                    Locale.ROOT,
                    "backup-stream: logical backup of a %s database to S3 (%d runs each)",
                    DataSize.label(timedSize),
                    options.runs()))
            .row(
                "wall time against (a) pg_dump to a file, then upload, s",
                worker,
                runbookSeconds,
                0.8)
            .row("wall time against (b) pg_dump to /dev/null, s", worker, Samples.of(limit), 1.0)
            .row(
                "wall time against (c) the same codec, pg_dump -Z0 piped to zstd, s",
                worker,
                Samples.of(sameCodec),
                1.0)
            .row(
                "stored size against (a), MB",
                Samples.of(pgfleet.stream().map(r -> DataSize.mb(r.bytes())).toList()),
                Samples.of(runbook.stream().map(r -> DataSize.mb((long) r[2])).toList()),
                Double.NaN);
    for (int i = 0; i < sizes.size(); i++) {
      WorkerRun m = memory.get(i);
      String at = " at " + DataSize.label(sizes.get(i)) + ", MB";
      report
          .measured(
              "worker VmHWM after the backup" + at, Samples.of(List.of(DataSize.mb(m.highWater()))))
          .measured("heap in use after GC" + at, Samples.of(List.of(DataSize.mb(m.heapAfterGc()))))
          .measured("peak RSS" + at, Samples.of(List.of(DataSize.mb(m.peakRss()))));
    }
    return report
        .note(
            "pgfleet: `backup` command with the default parameters ("
                + defaults.compression()
                + " level "
                + defaults.compressionLevel()
                + ") through a worker; time from publish to result, the archive read for every table's rows and hash, and the manifest"
                + " included.")
        .note(
            String.format(
                Locale.ROOT,
                "(a): `pg_dump -Fc -Z6` to a file (median %.2f s), then %s (median %.2f s).",
                Samples.of(runbook.stream().map(r -> r[0]).toList()).median(),
                aws
                    ? "`aws s3 cp` to the same S3 endpoint"
                    : "one PUT through the AWS SDK (no aws CLI on this machine)",
                Samples.of(runbook.stream().map(r -> r[1]).toList()).median()))
        .note("(b): `pg_dump -Fc -Z6` to /dev/null.")
        .note(
            "(c): `pg_dump -Fc -Z0 | "
                + String.join(" ", ZSTD)
                + " > /dev/null`, the worker's default codec run by the standard tool. The four"
                + " sides rotate their order run by run.")
        .note(
            "Memory: the worker's own JVM (a child process started with the options the"
                + " launcher gives `pgfleet worker` when none sizes the heap, "
                + String.join(" ", ChildWorker.LAUNCHER_HEAP)
                + ", and its MALLOC_ARENA_MAX=2 and MALLOC_MMAP_THRESHOLD_=1048576;"
                + " Kafka and S3Proxy run in the benchmark's JVM), its VmRSS sampled every 20 ms during one backup per size (at the timed"
                + " size, the run with the highest RSS); VmHWM is the kernel's high-water mark"
                + " since the worker started, read after that backup; heap after GC is taken once"
                + " the backup is done.")
        .note(
            "machine: "
                + Machine.describe(stack.serverVersion())
                + "; fsync and synchronous_commit on; "
                + stack.storeDescription()
                + ".");
  }
}
