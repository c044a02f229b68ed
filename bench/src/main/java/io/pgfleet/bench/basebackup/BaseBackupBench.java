package io.pgfleet.bench.basebackup;

import io.pgfleet.bench.BenchStack;
import io.pgfleet.bench.Machine;
import io.pgfleet.bench.Report;
import io.pgfleet.bench.ResultWait;
import io.pgfleet.bench.Samples;
import io.pgfleet.commands.BaseBackupParams;
import io.pgfleet.commands.Command;
import io.pgfleet.commands.Commands;
import io.pgfleet.commands.Operation;
import io.pgfleet.commands.publish.CommandPublisher;
import io.pgfleet.commands.result.Outcome;
import io.pgfleet.commands.result.ResultEvent;
import io.pgfleet.commands.result.RunReport;
import io.pgfleet.local.LocalPostgres;
import io.pgfleet.worker.Worker;
import io.pgfleet.worker.config.TargetConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Scenario {@code base-backup}: a database of {@code rows} rows (fixed seed) backed up physically,
 * pgfleet's base-backup command through a worker (pg_basebackup's tar streamed from its stdout,
 * zstd-compressed with its sha256, straight into the S3 upload, manifest last) against the
 * runbooks' {@code pg_basebackup -Ft -X fetch -c fast} to a local directory, alternately.
 */
public final class BaseBackupBench {
  static final String DATABASE = "bench_base";

  private final BenchStack stack;
  private final LocalPostgres pg;
  private final Options options;
  private final PrintStream log;

  /**
   * @param rows rows of ~150 bytes in the database backed up
   * @param runs how many times each side runs
   * @param dir where the servers and the baseline's backups keep their data
   */
  public record Options(int rows, int runs, Path dir) {
    public Options {
      if (rows < 1 || runs < 1) {
        throw new IllegalArgumentException("rows and runs must be at least 1");
      }
    }
  }

  private BaseBackupBench(BenchStack stack, Options options, PrintStream log) {
    this.stack = stack;
    this.pg = stack.postgres();
    this.options = options;
    this.log = log;
  }

  /** Runs the scenario on a fresh local stack under {@code options.dir()}; logs to {@code log}. */
  public static Report run(Options options, PrintStream log) throws Exception {
    try (BenchStack stack = BenchStack.start(options.dir())) {
      return new BaseBackupBench(stack, options, log).measure();
    }
  }

  private Report measure() throws Exception {
    log.printf(Locale.ROOT, "generating %,d rows (fixed seed)...%n", options.rows());
    generate();
    TargetConfig target =
        stack
            .target(DATABASE, pg.superuser(), pg.superuserPassword())
            .operations(Set.of(Operation.BASE_BACKUP))
            .build();
    List<Double> pgfleetS = new ArrayList<>();
    List<Double> baselineS = new ArrayList<>();
    List<Double> storedMb = new ArrayList<>();
    List<Double> localMb = new ArrayList<>();
    List<Double> workerS = new ArrayList<>();
    Map<String, List<Double>> phases = new java.util.TreeMap<>();
    try (Worker worker = Worker.start(stack.workerConfig(Map.of(DATABASE, target)));
        CommandPublisher publisher =
            CommandPublisher.connect(stack.bootstrapServers(), stack.topics(), Map.of());
        ResultWait results = new ResultWait(stack.bootstrapServers(), stack.topics())) {
      for (int run = 1; run <= options.runs(); run++) {
        boolean pgfleetFirst = run % 2 == 1;
        for (int side = 0; side < 2; side++) {
          if ((side == 0) == pgfleetFirst) {
            long start = System.nanoTime();
            RunReport report = viaWorker(publisher, results);
            pgfleetS.add(seconds(start));
            Map<String, Object> stats = report.statistics();
            workerS.add(report.durationMs() / 1e3);
            if (stats.get("phases") instanceof Map<?, ?> split) {
              split.forEach(
                  (k, v) ->
                      phases
                          .computeIfAbsent(String.valueOf(k), x -> new ArrayList<>())
                          .add(((Number) v).doubleValue() / 1e3));
            }
            storedMb.add(((Number) stats.get("storedBytes")).doubleValue() / 1e6);
            log.printf(
                Locale.ROOT,
                "run %d pgfleet  %7.2f s (%d ms in the worker), %s bytes read, %s stored,"
                    + " phases %s%n",
                run,
                pgfleetS.get(pgfleetS.size() - 1),
                report.durationMs(),
                stats.get("backupBytes"),
                stats.get("storedBytes"),
                stats.get("phases"));
          } else {
            Path out = options.dir().resolve("basebackup-" + run);
            long start = System.nanoTime();
            pgBasebackup(out);
            baselineS.add(seconds(start));
            localMb.add(size(out) / 1e6);
            log.printf(
                Locale.ROOT,
                "run %d baseline %7.2f s, %.0f MB written%n",
                run,
                baselineS.get(baselineS.size() - 1),
                localMb.get(localMb.size() - 1));
            delete(out);
          }
        }
      }
    }
    Report report =
        new Report(
                String.format(
                    Locale.ROOT,
                    "base-backup: a %,d-row database, %d runs each",
                    options.rows(),
                    options.runs()))
            .row("total time, s", Samples.of(pgfleetS), Samples.of(baselineS), Double.NaN)
            .row("bytes stored, MB", Samples.of(storedMb), Samples.of(localMb), Double.NaN)
            .measured("of which in the worker (procedure), s", Samples.of(workerS));
    phases.forEach((name, values) -> report.measured("phase " + name + ", s", Samples.of(values)));
    return report
        .note(
            "pgfleet: base-backup command through a worker (pg_basebackup -Ft -X fetch -c fast -D -,"
                + " its tar streamed zstd-compressed into a multipart upload to S3Proxy, sha256 of"
                + " the stored bytes, no scratch copy, manifest last); time from publish to"
                + " result. Phases: *AtMs when a phase ended, from the procedure's start; *Ms"
                + " time spent inside one (they overlap).")
        .note(
            "baseline: pg_basebackup -Ft -X fetch -c fast -D <local directory>, uncompressed,"
                + " fsynced (pg_basebackup's default); S3Proxy's filesystem store does not fsync.")
        .note("machine: " + Machine.describe(serverVersion()));
  }

  private RunReport viaWorker(CommandPublisher publisher, ResultWait results) throws Exception {
    Command command =
        Commands.of(Operation.BASE_BACKUP, DATABASE, BaseBackupParams.defaults())
            .source("urn:pgfleet:bench")
            .build();
    publisher.publish(command).get();
    ResultEvent end = results.terminal(command.id(), Duration.ofHours(1));
    if (end.outcome() != Outcome.SUCCEEDED) {
      throw new IllegalStateException("the base backup did not succeed: " + end.data());
    }
    return end.data();
  }

  private void pgBasebackup(Path out) throws IOException, InterruptedException {
    ProcessBuilder pb =
        new ProcessBuilder(
                "pg_basebackup",
                "-h",
                pg.host(),
                "-p",
                String.valueOf(pg.port()),
                "-U",
                pg.superuser(),
                "-D",
                out.toString(),
                "-Ft",
                "-X",
                "fetch",
                "-c",
                "fast")
            .redirectErrorStream(true);
    pb.environment().put("PGPASSWORD", pg.superuserPassword());
    Process p = pb.start();
    byte[] output = p.getInputStream().readAllBytes();
    if (p.waitFor() != 0) {
      throw new IllegalStateException("pg_basebackup failed: " + new String(output));
    }
  }

  private void generate() throws SQLException {
    pg.execute("postgres", "CREATE DATABASE " + DATABASE);
    try (Connection c = pg.connect(DATABASE);
        Statement st = c.createStatement()) {
      st.execute("SELECT setseed(0.7)");
      st.execute(
          "CREATE TABLE orders AS SELECT g AS id, md5(random()::text) || ' order ' || g AS note,"
              + " round((random() * 1000)::numeric, 2) AS amount, now() AS at"
              + " FROM generate_series(1, "
              + options.rows()
              + ") g");
      st.execute("ALTER TABLE orders ADD PRIMARY KEY (id)");
      st.execute("CHECKPOINT");
    }
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private static long size(Path dir) throws IOException {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(f -> f.toFile().length()).sum();
    }
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
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
