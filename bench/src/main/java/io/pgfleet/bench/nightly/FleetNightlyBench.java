package io.pgfleet.bench.nightly;

import io.pgfleet.bench.BenchStack;
import io.pgfleet.bench.CpuMeter;
import io.pgfleet.bench.Machine;
import io.pgfleet.bench.Platform;
import io.pgfleet.bench.Report;
import io.pgfleet.bench.ResultWait;
import io.pgfleet.bench.dump.ClientTools;
import io.pgfleet.bench.nightly.ServiceData.Service;
import io.pgfleet.commands.BackupParams;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Artifact;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.local.LocalPostgres;
import io.pgfleet.worker.Worker;
import io.pgfleet.worker.config.RunSettings;
import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.procedure.backup.ZstdCommandLine;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Scenario {@code fleet-nightly}: the nightly backups of the platform's per-service databases.
 * pgfleet: one {@code backup} command per database, published together, executed by one worker with
 * the shipped run settings (2 runs at a time), streamed to S3; against the runbook's {@code
 * backup_all.sh}: {@code pg_dump -Fc -Z6} to a file, one database after the other; and the floor:
 * {@code pg_dump -Z0 | zstd} to /dev/null, as many at a time as the worker runs. The three sides
 * rotate their order; the data does not change between runs.
 */
public final class FleetNightlyBench {
  private final BenchStack stack;
  private final LocalPostgres pg;
  private final List<Service> services;
  private final Path dumps;
  private final BackupParams params;
  private final PrintStream log;

  /** Bytes each database's backup stored, per side, from the last run of that side. */
  private final Map<String, Long> pgfleetBytes = new LinkedHashMap<>();

  private final Map<String, Long> baselineBytes = new LinkedHashMap<>();
  private final String password =
      HexFormat.of().formatHex(new java.security.SecureRandom().generateSeed(12));

  /**
   * @param databases how many of the 17 service databases (the first ones of the list)
   * @param minMb the smallest database's size
   * @param maxMb the largest database's size
   * @param runs how many times each side runs
   * @param zstdLevel the level of the zstd compression the backup commands ask for (1-19)
   * @param dir where the benchmark's servers and the baseline's dump files live
   */
  public record Options(int databases, int minMb, int maxMb, int runs, int zstdLevel, Path dir) {
    public Options {
      if (databases < 1 || databases > Platform.SERVICES.size()) {
        throw new IllegalArgumentException(
            "databases must be 1-" + Platform.SERVICES.size() + ", not " + databases);
      }
      if (minMb < 1 || maxMb < minMb || runs < 1) {
        throw new IllegalArgumentException("need 1 <= minMb <= maxMb and runs >= 1");
      }
    }
  }

  private FleetNightlyBench(BenchStack stack, Options options, PrintStream log) {
    this.stack = stack;
    this.pg = stack.postgres();
    this.services = ServiceData.plan(options.databases(), options.minMb(), options.maxMb());
    this.dumps = options.dir().resolve("backup_all");
    // zstd, applied by the worker, not the default gzip 6: given explicitly in every command.
    this.params =
        new BackupParams(
            null, BackupParams.ZSTD, options.zstdLevel(), null, null, null, null, null);
    this.log = log;
  }

  /** Runs the scenario on a fresh local stack under {@code options.dir()}; logs to {@code log}. */
  public static Report run(Options options, PrintStream log) throws Exception {
    return BenchStack.fresh(options.dir(), stack -> run(options, stack, log));
  }

  /** Runs the scenario on {@code stack}, which the caller started and closes. */
  public static Report run(Options options, BenchStack stack, PrintStream log) throws Exception {
    return new FleetNightlyBench(stack, options, log).measure(options.runs());
  }

  private Report measure(int count) throws Exception {
    long databaseBytes = generate();
    Map<String, TargetConfig> targets = new LinkedHashMap<>();
    for (Service s : services) {
      targets.put(
          s.database(),
          stack
              .target(s.database(), s.owner(), password)
              .operations(Set.of(Operation.BACKUP))
              .build());
    }
    NightlyRuns runs = new NightlyRuns(services.size(), databaseBytes);
    RunSettings settings = RunSettings.defaults();
    try (Worker worker = Worker.start(stack.workerConfig(targets, settings));
        CommandPublisher publisher =
            CommandPublisher.connect(stack.bootstrapServers(), stack.topics(), Map.of());
        ResultWait results = new ResultWait(stack.bootstrapServers(), stack.topics())) {
      warmUp(publisher, results, settings.maxConcurrentRuns());
      for (int run = 1; run <= count; run++) {
        for (int i = 0; i < 3; i++) {
          CpuMeter meter = CpuMeter.start();
          switch ((run - 1 + i) % 3) {
            case 0 -> runs.pgfleet(logged(run, "pgfleet", viaWorker(publisher, results), meter));
            case 1 -> runs.baseline(logged(run, "baseline", backupAll(), meter));
            default -> runs.floor(logged(run, "floor", floor(settings.maxConcurrentRuns()), meter));
          }
        }
        if (run == 1) {
          logPerDatabase();
        }
      }
    }
    return runs.report(
        settings.maxConcurrentRuns(),
        params.compressionLevel(),
        Machine.describe(stack.serverVersion()) + "; " + stack.storeDescription());
  }

  private long generate() throws Exception {
    long total = 0;
    for (int i = 0; i < services.size(); i++) {
      Service s = services.get(i);
      log.printf(
          Locale.ROOT, "generating %s (~%d MB, fixed seed)...%n", s.database(), s.megabytes());
      ServiceData.create(pg, s, password, i);
      total += ServiceData.sizeOf(pg, s.database());
    }
    pg.execute("postgres", "CHECKPOINT");
    log.printf(Locale.ROOT, "%d databases, %.0f MB in all%n", services.size(), total / 1e6);
    return total;
  }

  /** Which databases store more than the runbook's file, and by how much. */
  private void logPerDatabase() {
    log.println("database          pgfleet bytes  runbook bytes  ratio");
    for (Service s : services) {
      long ours = pgfleetBytes.getOrDefault(s.database(), 0L);
      long theirs = baselineBytes.getOrDefault(s.database(), 0L);
      log.printf(
          Locale.ROOT,
          "%-16s %14d %14d  %.4f%n",
          s.database(),
          ours,
          theirs,
          theirs == 0 ? Double.NaN : (double) ours / theirs);
    }
  }

  private NightlyRuns.Run logged(int run, String side, NightlyRuns.Run r, CpuMeter meter) {
    NightlyRuns.Run measured = r.withCpu(meter.used());
    log.printf(
        Locale.ROOT,
        "run %d %-8s %7.2f s, %6.1f MB stored, %s%n",
        run,
        side,
        r.seconds(),
        r.bytes() / 1e6,
        measured.cpu().describe(null));
    return measured;
  }

  /**
   * Not measured: a backup of a table that does not exist, which fails at once (the consumer has
   * joined its group and every client is connected), then one whole night's backups. A nightly
   * worker is a daemon whose code is compiled (it ran last night's backups); in a fresh JVM the
   * first backups run the S3 SDK and the archive reader interpreted while the JIT compiles them.
   * One backup of the smallest database did not remove that: the JIT still took 4.0 s of CPU in the
   * first measured run and 1.8 s in the second (bench/RESULTS.md, fleet-nightly session 7).
   */
  private void warmUp(CommandPublisher publisher, ResultWait results, int lanes) throws Exception {
    failingBackup(publisher, results);
    NightlyRuns.Run night = viaWorker(publisher, results);
    floor(lanes); // the tools' pages cached as on later runs
    log.printf(Locale.ROOT, "warm-up   pgfleet %7.2f s (not measured)%n", night.seconds());
  }

  private void failingBackup(CommandPublisher publisher, ResultWait results) throws Exception {
    Command command =
        Commands.backup(services.get(0).database())
            .params(
                new BackupParams(
                    null,
                    BackupParams.ZSTD,
                    null,
                    null,
                    List.of("no_such_table"),
                    null,
                    null,
                    null))
            .source("urn:pgfleet:bench")
            .build();
    publisher.publish(command).get();
    results.terminal(command.id(), Duration.ofMinutes(2));
  }

  private NightlyRuns.Run viaWorker(CommandPublisher publisher, ResultWait results)
      throws Exception {
    List<String> ids = new ArrayList<>();
    Map<String, String> databaseOf = new LinkedHashMap<>();
    long start = System.nanoTime();
    for (Service s : services) {
      Command command =
          Commands.backup(s.database()).params(params).source("urn:pgfleet:bench").build();
      publisher.publish(command);
      ids.add(command.id());
      databaseOf.put(command.id(), s.database());
    }
    publisher.flush();
    Map<String, ResultWait.Arrival> ends = results.terminals(ids, Duration.ofHours(2));
    long last = ends.values().stream().mapToLong(ResultWait.Arrival::nanos).max().orElseThrow();
    long bytes = 0;
    long runMs = 0;
    for (Map.Entry<String, ResultWait.Arrival> end : ends.entrySet()) {
      ResultEvent e = end.getValue().event();
      if (e.outcome() != Outcome.SUCCEEDED) {
        throw new IllegalStateException("a backup did not succeed: " + e.data());
      }
      long stored = e.data().artifacts().stream().mapToLong(Artifact::bytes).sum();
      pgfleetBytes.put(databaseOf.get(end.getKey()), stored);
      bytes += stored;
      runMs += e.data().durationMs();
    }
    return new NightlyRuns.Run((last - start) / 1e9, bytes, runMs / 1e3, null);
  }

  /**
   * The floor of the standard tools' pipeline on this machine: {@code pg_dump -Fc -Z0 | zstd} with
   * the worker's parameters to /dev/null, {@code lanes} databases at a time, storing nothing,
   * reading nothing back and proving nothing.
   */
  private NightlyRuns.Run floor(int lanes) throws Exception {
    ClientTools tools = new ClientTools(pg, dumps);
    List<String> zstd = ZstdCommandLine.command(params.compressionLevel());
    ConcurrentLinkedQueue<Service> left = new ConcurrentLinkedQueue<>(services);
    ExecutorService pool = Executors.newFixedThreadPool(lanes);
    long start = System.nanoTime();
    try {
      List<Future<?>> lanesDone = new ArrayList<>();
      for (int i = 0; i < lanes; i++) {
        lanesDone.add(
            pool.submit(
                () -> {
                  for (Service s = left.poll(); s != null; s = left.poll()) {
                    tools.pgDumpThrough(s.database(), zstd, Path.of("/dev/null"));
                  }
                  return null;
                }));
      }
      for (Future<?> lane : lanesDone) {
        lane.get();
      }
    } finally {
      pool.shutdownNow();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    return new NightlyRuns.Run(seconds, 0, seconds, null);
  }

  /** The runbook's backup_all.sh: one pg_dump after the other, each to its own file. */
  private NightlyRuns.Run backupAll() throws IOException, InterruptedException {
    Files.createDirectories(dumps);
    long start = System.nanoTime();
    long bytes = 0;
    for (Service s : services) {
      Path file = dumps.resolve(s.database() + ".dump");
      ProcessBuilder pb =
          new ProcessBuilder(
                  "pg_dump",
                  "-h",
                  pg.host(),
                  "-p",
                  String.valueOf(pg.port()),
                  "-U",
                  s.owner(),
                  "-d",
                  s.database(),
                  "--format=custom",
                  "--compress=6",
                  "--file=" + file)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD);
      pb.environment().put("PGPASSWORD", password);
      int exit = pb.start().waitFor();
      if (exit != 0) {
        throw new IllegalStateException("pg_dump of " + s.database() + " exited with " + exit);
      }
      long stored = Files.size(file);
      baselineBytes.put(s.database(), stored);
      bytes += stored;
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    for (Service s : services) {
      Files.deleteIfExists(dumps.resolve(s.database() + ".dump"));
    }
    return new NightlyRuns.Run(seconds, bytes, seconds, null);
  }
}
