package io.pgfleet.bench.overhead;

import io.pgfleet.bench.BenchStack;
import io.pgfleet.bench.Machine;
import io.pgfleet.bench.Platform;
import io.pgfleet.bench.Report;
import io.pgfleet.bench.ResultWait;
import io.pgfleet.commands.AnalyzeParams;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.RunReport;
import io.pgfleet.local.LocalPostgres;
import io.pgfleet.worker.Worker;
import io.pgfleet.worker.config.RunSettings;
import io.pgfleet.worker.config.TargetConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Scenario {@code command-overhead}: many cheap commands (ANALYZE of a small table) spread over the
 * platform's databases. pgfleet: all {@code analyze} commands published at once, executed by one
 * worker with the shipped run settings; against a loop of {@code psql -c "ANALYZE t"}, one per
 * command. Measures what pgfleet costs per command (Kafka, ledger, result) rather than the work.
 */
public final class CommandOverheadBench {
  static final String TABLE = "t";
  static final AnalyzeParams PARAMS = new AnalyzeParams(List.of(TABLE));

  private final BenchStack stack;
  private final LocalPostgres pg;
  private final Options options;
  private final List<String> services;
  private final PrintStream log;
  private final String password =
      HexFormat.of().formatHex(new java.security.SecureRandom().generateSeed(12));

  /**
   * @param commands commands per run, spread round-robin over the targets
   * @param targets how many of the platform's 17 databases
   * @param runs how many times each side runs
   * @param concurrentRuns the worker's maxConcurrentRuns (the shipped default is 2)
   * @param dir where the benchmark's servers keep their data
   */
  public record Options(int commands, int targets, int runs, int concurrentRuns, Path dir) {
    public Options {
      if (concurrentRuns < 1) {
        throw new IllegalArgumentException("concurrentRuns must be at least 1");
      }
      if (targets < 1 || targets > Platform.SERVICES.size()) {
        throw new IllegalArgumentException(
            "targets must be 1-" + Platform.SERVICES.size() + ", not " + targets);
      }
      if (commands < 1 || runs < 1) {
        throw new IllegalArgumentException("commands and runs must be at least 1");
      }
    }
  }

  private CommandOverheadBench(BenchStack stack, Options options, PrintStream log) {
    this.stack = stack;
    this.pg = stack.postgres();
    this.options = options;
    this.services = Platform.SERVICES.subList(0, options.targets());
    this.log = log;
  }

  /** Runs the scenario on a fresh local stack under {@code options.dir()}; logs to {@code log}. */
  public static Report run(Options options, PrintStream log) throws Exception {
    return BenchStack.fresh(options.dir(), stack -> run(options, stack, log));
  }

  /** Runs the scenario on {@code stack}, which the caller started and closes. */
  public static Report run(Options options, BenchStack stack, PrintStream log) throws Exception {
    return new CommandOverheadBench(stack, options, log).measure();
  }

  private Report measure() throws Exception {
    Map<String, TargetConfig> targets = new LinkedHashMap<>();
    for (String service : services) {
      createSmallTable(service);
      String db = Platform.database(service);
      targets.put(
          db,
          stack
              .target(db, Platform.owner(service), password)
              .operations(Set.of(Operation.ANALYZE))
              .build());
    }
    OverheadRuns runs = new OverheadRuns(options.commands(), options.targets());
    RunSettings defaults = RunSettings.defaults();
    RunSettings settings =
        new RunSettings(
            defaults.leaseTtl(),
            options.concurrentRuns(),
            defaults.progressInterval(),
            defaults.shutdownGrace(),
            defaults.tries(),
            defaults.retryBackoff());
    try (Worker worker = Worker.start(stack.workerConfig(targets, settings));
        CommandPublisher publisher =
            CommandPublisher.connect(stack.bootstrapServers(), stack.topics(), Map.of());
        ResultWait results = new ResultWait(stack.bootstrapServers(), stack.topics())) {
      warmUp(publisher, results);
      for (int run = 1; run <= options.runs(); run++) {
        boolean pgfleetFirst = run % 2 == 1;
        for (int side = 0; side < 2; side++) {
          if ((side == 0) == pgfleetFirst) {
            runs.pgfleet(logged(run, "pgfleet", viaWorker(publisher, results)));
          } else {
            runs.baseline(logged(run, "baseline", psqlLoop()));
          }
        }
      }
    }
    return runs.report(
        settings.maxConcurrentRuns(),
        settings.maxConcurrentLightRuns(),
        Machine.describe(stack.serverVersion()));
  }

  /** A table of 1,000 rows owned by the service's role in {@code <service>_db}. */
  private void createSmallTable(String service) throws SQLException {
    String db = Platform.database(service);
    String owner = Platform.owner(service);
    pg.createRole(owner, password);
    pg.execute("postgres", "DROP DATABASE IF EXISTS " + db + " WITH (FORCE)");
    pg.createDatabase(db, owner);
    try (Connection c = pg.connect(db);
        Statement st = c.createStatement()) {
      st.execute("SET ROLE " + owner);
      st.execute("CREATE TABLE t (id int PRIMARY KEY, name text NOT NULL)");
      st.execute("INSERT INTO t SELECT i, 'row ' || i FROM generate_series(1, 1000) AS i");
    }
  }

  private OverheadRuns.Run logged(int run, String side, OverheadRuns.Run r) {
    log.printf(
        Locale.ROOT,
        "run %d %-8s %7.2f s, %6.1f commands/s, p50 %7.1f ms, p99 %7.1f ms%n",
        run,
        side,
        r.seconds(),
        r.commands() / r.seconds(),
        r.latencies().percentile(50),
        r.latencies().percentile(99));
    return r;
  }

  /**
   * An analyze of a table that does not exist, which fails at once, not measured: the consumer has
   * joined its group and every client is connected before the first measured run.
   */
  private void warmUp(CommandPublisher publisher, ResultWait results) throws Exception {
    Command command =
        Commands.of(
                Operation.ANALYZE,
                Platform.database(services.get(0)),
                new AnalyzeParams(List.of("no_such_table")))
            .source("urn:pgfleet:bench")
            .build();
    publisher.publish(command).get();
    results.terminal(command.id(), Duration.ofMinutes(2));
  }

  private OverheadRuns.Run viaWorker(CommandPublisher publisher, ResultWait results)
      throws Exception {
    int n = options.commands();
    List<String> ids = new ArrayList<>(n);
    long[] publishedNanos = new long[n];
    long startNanos = System.nanoTime();
    long startMillis = System.currentTimeMillis();
    for (int i = 0; i < n; i++) {
      String db = Platform.database(services.get(i % services.size()));
      Command command =
          Commands.of(Operation.ANALYZE, db, PARAMS).source("urn:pgfleet:bench").build();
      publishedNanos[i] = System.nanoTime();
      publisher.publish(command);
      ids.add(command.id());
    }
    publisher.flush();
    Map<String, ResultWait.Arrival> ends = results.terminals(ids, Duration.ofHours(1));
    double[] latencies = new double[n];
    double[] queued = new double[n];
    double[] executing = new double[n];
    double[] finishing = new double[n];
    long last = startNanos;
    for (int i = 0; i < n; i++) {
      ResultWait.Arrival end = ends.get(ids.get(i));
      if (end.event().outcome() != Outcome.SUCCEEDED) {
        throw new IllegalStateException("an analyze did not succeed: " + end.event().data());
      }
      last = Math.max(last, end.nanos());
      latencies[i] = (end.nanos() - publishedNanos[i]) / 1e6;
      // The run's own timestamps split the latency: waiting (Kafka, the target's earlier
      // commands, the pool, the claim), the run, and finishing (ledger, result, this reader).
      RunReport report = end.event().data();
      double publishedAt = startMillis + (publishedNanos[i] - startNanos) / 1e6;
      double arrivedAt = startMillis + (end.nanos() - startNanos) / 1e6;
      queued[i] = report.startedAt().toEpochMilli() - publishedAt;
      executing[i] = report.finishedAt().toEpochMilli() - report.startedAt().toEpochMilli();
      finishing[i] = arrivedAt - report.finishedAt().toEpochMilli();
    }
    return new OverheadRuns.Run(
        n, (last - startNanos) / 1e9, latencies, new double[][] {queued, executing, finishing});
  }

  /** One {@code psql -c "ANALYZE t"} after the other, each against the next database. */
  private OverheadRuns.Run psqlLoop() throws IOException, InterruptedException {
    int n = options.commands();
    double[] latencies = new double[n];
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      String service = services.get(i % services.size());
      long t0 = System.nanoTime();
      ProcessBuilder pb =
          new ProcessBuilder(
                  "psql",
                  "-X",
                  "-q",
                  "-h",
                  pg.host(),
                  "-p",
                  String.valueOf(pg.port()),
                  "-U",
                  Platform.owner(service),
                  "-d",
                  Platform.database(service),
                  "-c",
                  "ANALYZE " + TABLE)
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD);
      pb.environment().put("PGPASSWORD", password);
      int exit = pb.start().waitFor();
      if (exit != 0) {
        throw new IllegalStateException("psql exited with " + exit);
      }
      latencies[i] = (System.nanoTime() - t0) / 1e6;
    }
    return new OverheadRuns.Run(n, (System.nanoTime() - start) / 1e9, latencies, null);
  }
}
