package io.pgfleet.bench.scale;

import io.pgfleet.bench.BenchStack;
import io.pgfleet.bench.Machine;
import io.pgfleet.bench.Report;
import io.pgfleet.bench.Samples;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.wire.Json;
import io.pgfleet.dispatcher.Dispatcher;
import io.pgfleet.dispatcher.DispatcherConfig;
import io.pgfleet.dispatcher.api.ApiToken;
import io.pgfleet.dispatcher.api.Role;
import io.pgfleet.dispatcher.fleet.FleetSettings;
import io.pgfleet.dispatcher.fleet.TargetPolicy;
import io.pgfleet.dispatcher.schedule.CronCalendar;
import io.pgfleet.dispatcher.schedule.Schedule;
import io.pgfleet.dispatcher.schedule.SchedulingSettings;
import io.pgfleet.dispatcher.schedule.TargetSelector;
import io.pgfleet.worker.config.TargetConfig;
import io.pgfleet.worker.config.WorkerConfig;
import io.pgfleet.worker.ledger.Ledger;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Scenario {@code scale}: a fleet of {@code targets} registered targets, against absolute bounds
 * (there is no baseline). An idle worker serving all of them, in a JVM of its own, subscribed to
 * every target topic: its CPU time over {@code idleSeconds} and its memory. Then a dispatcher whose
 * nightly schedule covers every target, ticked at the scheduled instant: the time from the tick to
 * the last command acknowledged by Kafka and recorded.
 */
public final class ScaleBench {
  static final String SCHEDULE = "nightly-backup";

  /** How long after it has every partition the idle worker's CPU starts to be measured. */
  public static final Duration SETTLE = Duration.ofSeconds(30);

  private static final Instant FIRST_DAY = Instant.parse("2026-11-16T01:00:00Z");

  private final BenchStack stack;
  private final Options options;
  private final PrintStream log;

  /**
   * @param targets registered targets
   * @param idleSeconds how long the idle worker's CPU time is measured, split into {@code runs}
   *     windows
   * @param runs idle windows, and schedule firings
   * @param dir where the benchmark's servers keep their data
   * @param settle how long after the worker has every partition its CPU starts to be measured
   * @param classArchive the bench's experiment ({@code ./pgfleet} uses no class-data archive): the
   *     first start writes the classes it loaded into an archive at its exit, and the measured
   *     start maps it
   */
  public record Options(
      int targets, int idleSeconds, int runs, Path dir, Duration settle, boolean classArchive) {
    public Options {
      if (targets < 1 || targets > 9_999 || idleSeconds < 1 || runs < 1) {
        throw new IllegalArgumentException(
            "need 1 <= targets <= 9999, idleSeconds >= 1 and runs >= 1");
      }
    }

    public Options(int targets, int idleSeconds, int runs, Path dir, Duration settle) {
      this(targets, idleSeconds, runs, dir, settle, false);
    }

    public Options(int targets, int idleSeconds, int runs, Path dir) {
      this(targets, idleSeconds, runs, dir, SETTLE);
    }
  }

  private ScaleBench(BenchStack stack, Options options, PrintStream log) {
    this.stack = stack;
    this.options = options;
    this.log = log;
  }

  /** Runs the scenario on a fresh local stack under {@code options.dir()}; logs to {@code log}. */
  public static Report run(Options options, PrintStream log) throws Exception {
    try (BenchStack stack = BenchStack.start(options.dir())) {
      return new ScaleBench(stack, options, log).measure();
    }
  }

  private Report measure() throws Exception {
    List<String> names = new ArrayList<>();
    Map<String, TargetConfig> targets = new LinkedHashMap<>();
    for (int i = 1; i <= options.targets(); i++) {
      String name = String.format(Locale.ROOT, "t%04d_db", i);
      names.add(name);
      targets.put(
          name,
          stack
              .target(
                  "postgres", stack.postgres().superuser(), stack.postgres().superuserPassword())
              .operations(Set.of(Operation.BACKUP, Operation.ANALYZE))
              .build());
    }
    WorkerConfig config = stack.workerConfig(targets);
    TargetTopics topics = new TargetTopics(stack.bootstrapServers(), config, log);
    topics.create(names);
    // A worker (re)starts against a fleet's existing ledger; only a fleet's first start migrates
    // it.
    Ledger.open(config.ledger()).close();
    ClassArchive archive = ClassArchive.of(options, log, topics);
    // the first start, on the cluster, creates Kafka's group and transaction topics: timed apart
    // from the measured start, which like every later one finds them
    Samples firstStart = archive.firstStart(config);
    Samples plainRestart = archive.plainRestart(config);
    Idle idle = idleWorker(config, archive.jvmOptions(), topics);
    double[] fire = fireSchedule(names, config);
    return new Report(
            String.format(
                Locale.ROOT,
                "scale: %,d registered targets (absolute targets, no baseline)",
                options.targets()))
        .bounded("first firing after the dispatcher started, s", first(fire), none(), 2.0)
        .bounded("later firings, s", later(fire), none(), 2.0)
        .bounded("idle worker CPU, % of one core", idle.cpuPercent(), none(), 1.0)
        .bounded("idle worker resident memory, MB", idle.rssMb(), none(), Double.NaN)
        .bounded("idle worker heap in use after GC, MB", idle.heapMb(), none(), Double.NaN)
        .bounded("worker start to every target topic assigned, s", idle.startSeconds(), none(), 5.0)
        .bounded(
            "of which the worker's start-up (JVM, Worker.start), s",
            idle.startUp(),
            none(),
            Double.NaN)
        .bounded(archive.firstStartLabel(), firstStart, none(), Double.NaN)
        .bounded(archive.plainRestartLabel(), plainRestart, none(), Double.NaN)
        .note(
            String.format(
                Locale.ROOT,
                "schedule: a dispatcher (in-process) with one schedule over every target"
                    + " (`backup`), ticked right after the scheduled instant; time from the tick to"
                    + " its return, when every command is acknowledged by Kafka (acks=all) and"
                    + " recorded in the dispatcher's run store, and the firing logged; %d firings,"
                    + " the first right after the dispatcher started (its producer knew no topic).",
                fire.length))
        .note(
            String.format(
                Locale.ROOT,
                "idle worker: the worker in a JVM of its own (-Xmx512m, shipped run settings, its"
                    + " ledger migrated before it starts; %s),"
                    + " subscribed to all %,d command topics, no command; CPU time (user +"
                    + " system, /proc/<pid>/stat) over %d windows of %d s, from %d s after it had"
                    + " every partition; resident memory from /proc/<pid>/status.",
                archive.describe(),
                options.targets(),
                options.runs(),
                options.idleSeconds() / options.runs(),
                options.settle().toSeconds()))
        .note("machine: " + Machine.describe(stack.serverVersion()) + ".");
  }

  private static Samples none() {
    return new Samples(new double[0]);
  }

  private record Idle(
      Samples cpuPercent, Samples rssMb, Samples heapMb, Samples startSeconds, Samples startUp) {}

  private static Samples first(double[] fire) {
    return new Samples(new double[] {fire[0]});
  }

  private static Samples later(double[] fire) {
    return new Samples(java.util.Arrays.copyOfRange(fire, Math.min(1, fire.length), fire.length));
  }

  private Idle idleWorker(WorkerConfig config, List<String> jvmOptions, TargetTopics topics)
      throws Exception {
    log.printf(Locale.ROOT, "starting a worker for %,d targets...%n", options.targets());
    long start = System.nanoTime();
    try (WorkerProcess worker = WorkerProcess.start(config, options.dir(), jvmOptions)) {
      double startUp = (System.nanoTime() - start) / 1e9;
      log.printf(Locale.ROOT, "worker started (JVM, Worker.start) after %.1f s%n", startUp);
      topics.awaitAssigned(options.targets());
      double startSeconds = (System.nanoTime() - start) / 1e9;
      log.printf(Locale.ROOT, "every target topic assigned after %.1f s%n", startSeconds);
      // Start-up work (the JIT compiling the loop, first metadata refreshes) is not idling.
      Thread.sleep(options.settle().toMillis());
      long window = options.idleSeconds() * 1000L / options.runs();
      double[] cpu = new double[options.runs()];
      for (int i = 0; i < options.runs(); i++) {
        double before = worker.cpuSeconds();
        long t0 = System.nanoTime();
        Thread.sleep(window);
        cpu[i] = (worker.cpuSeconds() - before) / ((System.nanoTime() - t0) / 1e9) * 100;
        log.printf(Locale.ROOT, "idle window %d: %.2f%% of one core%n", i + 1, cpu[i]);
      }
      double rss = worker.rssBytes() / 1e6;
      double heap = worker.heapBytes() / 1e6;
      log.printf(Locale.ROOT, "resident %.0f MB, heap in use after GC %.0f MB%n", rss, heap);
      return new Idle(
          new Samples(cpu),
          new Samples(new double[] {rss}),
          new Samples(new double[] {heap}),
          new Samples(new double[] {startSeconds}),
          new Samples(new double[] {startUp}));
    }
  }

  private double[] fireSchedule(List<String> names, WorkerConfig worker) throws Exception {
    StepClock clock = new StepClock(FIRST_DAY);
    Map<String, TargetPolicy> policies = new LinkedHashMap<>();
    names.forEach(n -> policies.put(n, TargetPolicy.defaults()));
    Schedule schedule =
        new Schedule(
            SCHEDULE,
            CronCalendar.parse("0 2 * * *", ZoneOffset.UTC),
            TargetSelector.everyTarget(),
            "backup",
            Json.mapper().createObjectNode(),
            Duration.ofHours(3));
    DispatcherConfig config =
        new DispatcherConfig(
            "bench-dispatcher",
            worker.kafka(),
            worker.ledger(),
            new InetSocketAddress("127.0.0.1", 0),
            List.of(
                ApiToken.ofSecret(
                    "bench",
                    Role.READ_ONLY,
                    HexFormat.of().formatHex(new java.security.SecureRandom().generateSeed(16)))),
            new FleetSettings(false, TargetPolicy.defaults(), policies),
            // Ticks come from here, at the scheduled instants; the dispatcher's own are far off.
            new SchedulingSettings(Duration.ofHours(1), Duration.ofHours(1)),
            List.of(schedule));
    double[] seconds = new double[options.runs()];
    try (Dispatcher dispatcher = Dispatcher.start(config, clock)) {
      dispatcher.tick(); // the schedule's bookmark starts now
      for (int run = 0; run < options.runs(); run++) {
        clock.set(FIRST_DAY.plus(Duration.ofDays(run)).plus(Duration.ofMinutes(60)).plusSeconds(1));
        long t0 = System.nanoTime();
        int sent = dispatcher.tick();
        seconds[run] = (System.nanoTime() - t0) / 1e9;
        if (sent != names.size()) {
          throw new IllegalStateException(
              "the schedule sent " + sent + " commands, not " + names.size());
        }
        log.printf(Locale.ROOT, "firing %d: %,d commands in %.2f s%n", run + 1, sent, seconds[run]);
      }
    }
    return seconds;
  }
}
