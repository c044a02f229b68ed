package io.pgfleet.bench.purge;

import io.pgfleet.bench.BenchStack;
import io.pgfleet.bench.Report;
import io.pgfleet.bench.ResultWait;
import io.pgfleet.bench.Samples;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.local.LocalPostgres;
import io.pgfleet.worker.Worker;
import io.pgfleet.worker.config.PurgePolicy;
import io.pgfleet.worker.config.TargetConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Scenario {@code purge}: an outbox with {@code rows} expired events, purged while another
 * connection inserts new events without pause; pgfleet's purge (a command through a worker, with
 * the shipped default batch settings) against the runbooks' single {@code DELETE}, alternately,
 * each run on an identical copy of the data.
 */
public final class PurgeBench {
  static final String DATABASE = "bench_purge";
  static final String POLICY = "outbox-published";
  static final String DELETE =
      "DELETE FROM outbox_events WHERE status = 'published'"
          + " AND processed_at < now() - interval '7 days'";
  private static final Duration WARM_UP = Duration.ofMillis(500);

  private final BenchStack stack;
  private final LocalPostgres pg;
  private final String password =
      HexFormat.of().formatHex(new java.security.SecureRandom().generateSeed(12));
  private final int rows;
  private final PurgeBatching batching;
  private final PrintStream log;
  private double analyzeSeconds;

  /**
   * @param rows expired outbox rows to purge
   * @param runs how many times each side runs
   * @param dir where the benchmark's servers keep their data
   */
  public record Options(int rows, int runs, Path dir, PurgeBatching batching) {
    public Options {
      if (rows < 1 || runs < 1) {
        throw new IllegalArgumentException("rows and runs must be at least 1");
      }
      batching = batching == null ? PurgeBatching.DEFAULTS : batching;
    }

    public Options(int rows, int runs, Path dir) {
      this(rows, runs, dir, null);
    }
  }

  private PurgeBench(BenchStack stack, int rows, PurgeBatching batching, PrintStream log) {
    this.stack = stack;
    this.pg = stack.postgres();
    this.rows = rows;
    this.batching = batching;
    this.log = log;
  }

  /** Runs the scenario on a fresh local stack under {@code options.dir()}; logs to {@code log}. */
  public static Report run(Options options, PrintStream log) throws Exception {
    return BenchStack.fresh(options.dir(), stack -> run(options, stack, log));
  }

  /** Runs the scenario on {@code stack}, which the caller started and closes. */
  public static Report run(Options options, BenchStack stack, PrintStream log) throws Exception {
    return new PurgeBench(stack, options.rows(), options.batching(), log).measure(options.runs());
  }

  private Report measure(int count) throws Exception {
    log.printf(Locale.ROOT, "generating %,d expired outbox rows (fixed seed)...%n", rows);
    OutboxData.createTemplate(pg, password, rows);
    TargetConfig target =
        stack
            .target(DATABASE, OutboxData.OWNER, password)
            .operations(Set.of(Operation.PURGE))
            .purgePolicy(
                batching
                    .applyTo(
                        PurgePolicy.builder(POLICY)
                            .table("outbox_events")
                            .timeColumn("processed_at")
                            .olderThan(Duration.ofDays(7))
                            .status("status", List.of("published")))
                    .build())
            .build();
    PurgeRuns runs = new PurgeRuns();
    try (Worker worker = Worker.start(stack.workerConfig(Map.of(DATABASE, target)));
        CommandPublisher publisher =
            CommandPublisher.connect(stack.bootstrapServers(), stack.topics(), Map.of());
        ResultWait results = new ResultWait(stack.bootstrapServers(), stack.topics())) {
      warmUp(publisher, results);
      for (int run = 1; run <= count; run++) {
        boolean pgfleetFirst = run % 2 == 1;
        for (int side = 0; side < 2; side++) {
          if ((side == 0) == pgfleetFirst) {
            Map<String, Object> stats = new HashMap<>();
            runs.pgfleet(once("pgfleet", run, () -> viaWorker(publisher, results, stats)), stats);
          } else {
            PurgeRuns.Run r = once("baseline", run, this::singleDelete);
            runs.baseline(r, analyzeSeconds);
          }
        }
      }
    }
    return runs.report(rows, serverVersion(), batching.describe());
  }

  /** How one side purges; returns the rows it deleted. */
  @FunctionalInterface
  interface Purger {
    long purge() throws Exception;
  }

  private PurgeRuns.Run once(String side, int run, Purger purger) throws Exception {
    OutboxData.copy(pg, DATABASE);
    try (InsertLoad load = new InsertLoad(connect(InsertLoad.APPLICATION));
        TransactionWatch watch = new TransactionWatch(pg.connect(DATABASE))) {
      Thread.sleep(WARM_UP.toMillis());
      long start = System.nanoTime();
      long deleted = purger.purge();
      long end = System.nanoTime();
      if (side.equals("baseline")) {
        analyze(); // under the same insert load and transaction watch
      }
      // the inserter's window ends after ANALYZE on both sides: pgfleet's result follows its own
      long windowEnd = System.nanoTime();
      load.close();
      watch.close();
      if (deleted != rows) {
        throw new IllegalStateException(side + " deleted " + deleted + " rows, not " + rows);
      }
      requireNoExpiredRowLeft(side);
      double seconds = (end - start) / 1e9;
      long[] latencies = load.latenciesBetween(start, windowEnd);
      PurgeRuns.Run r =
          new PurgeRuns.Run(
              seconds,
              watch.longestMs(),
              Samples.of(latencies, latencies.length).percentile(99) / 1e6,
              latencies.length / ((windowEnd - start) / 1e9));
      log.printf(
          Locale.ROOT,
          "run %d %-8s %7.2f s, longest transaction %7.1f ms, inserter p99 %6.2f ms (%d inserts)%n",
          run,
          side,
          r.seconds(),
          r.longestTransactionMs(),
          r.p99Ms(),
          latencies.length);
      if (side.equals("baseline")) {
        // per run, so the DELETE + ANALYZE column can be rebuilt from the printed runs
        log.printf(
            Locale.ROOT, "  baseline ANALYZE after its DELETE %.0f ms%n", analyzeSeconds * 1000);
      }
      return r;
    }
  }

  /**
   * A command the worker refuses at once (no such policy), not measured: the worker's consumer has
   * joined its group and every client is connected before the first measured run.
   */
  private void warmUp(CommandPublisher publisher, ResultWait results) throws Exception {
    Command command = Commands.purge(DATABASE, "warm-up").source("urn:pgfleet:bench").build();
    publisher.publish(command).get();
    results.terminal(command.id(), Duration.ofMinutes(2));
  }

  /** Purges through the worker; {@code reported} receives the run's statistics. */
  private long viaWorker(
      CommandPublisher publisher, ResultWait results, Map<String, Object> reported)
      throws Exception {
    Command command = Commands.purge(DATABASE, POLICY).source("urn:pgfleet:bench").build();
    publisher.publish(command).get();
    ResultEvent end = results.terminal(command.id(), Duration.ofHours(1));
    if (end.outcome() != Outcome.SUCCEEDED) {
      throw new IllegalStateException("the purge did not succeed: " + end.data());
    }
    Map<String, Object> stats = end.data().statistics();
    log.printf(
        Locale.ROOT,
        "  pgfleet reported: %s batches (largest %s rows), purge %s ms (%s ms in transactions),"
            + " %s %s ms, longest batch %s ms, longest transaction %s ms%n",
        stats.get("batches"),
        stats.get("largestBatchRows"),
        stats.get("purgeMs"),
        stats.get("transactionsMs"),
        stats.get("maintenance"),
        stats.get("maintenanceMs"),
        stats.get("longestBatchMs"),
        stats.get("longestTransactionMs"));
    reported.putAll(stats);
    return ((Number) stats.get("rowsDeleted")).longValue();
  }

  /**
   * The runbook: one DELETE, then ANALYZE of the table (timed apart, after the measured DELETE, so
   * the report can compare against either).
   */
  private long singleDelete() throws SQLException {
    try (Connection c = connect("bench-baseline");
        Statement st = c.createStatement()) {
      return st.executeUpdate(DELETE);
    }
  }

  private void analyze() throws SQLException {
    try (Connection c = connect("bench-baseline");
        Statement st = c.createStatement()) {
      long start = System.nanoTime();
      st.execute("ANALYZE outbox_events");
      analyzeSeconds = (System.nanoTime() - start) / 1e9;
    }
  }

  private void requireNoExpiredRowLeft(String side) throws SQLException {
    try (Connection c = pg.connect(DATABASE);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery(DELETE.replace("DELETE", "SELECT count(*)"))) {
      rs.next();
      if (rs.getLong(1) != 0) {
        throw new IllegalStateException(side + " left " + rs.getLong(1) + " expired rows");
      }
    }
  }

  private Connection connect(String application) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", OutboxData.OWNER);
    props.setProperty("password", password);
    props.setProperty("ApplicationName", application);
    return DriverManager.getConnection(pg.jdbcUrl(DATABASE), props);
  }

  private String serverVersion() throws SQLException {
    try (Connection c = pg.connect("postgres");
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SHOW server_version")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
