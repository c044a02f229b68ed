package io.pgfleet.bench.wal;

import io.pgfleet.bench.BenchStack;
import io.pgfleet.bench.Report;
import io.pgfleet.worker.storage.ArtifactStore;
import io.pgfleet.worker.wal.WalArchive;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Scenario {@code wal-push}: archiving real WAL segments as PostgreSQL's archiver does, one
 * archive_command process per segment, pgfleet's {@code wal-push} (zstd, sha256, S3) against the
 * runbooks' {@code cp %p /archive/%f}; then the per-segment cost without the process start (both in
 * one JVM), and the process start alone ({@code pgfleet --version}), which is where pgfleet's time
 * goes. Each run archives the same segments into a fresh archive.
 */
public final class WalPushBench {
  /** JVM options that shorten a short-lived JVM's start: measured as a variant. */
  public static final List<String> FAST_START =
      List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto");

  private final BenchStack stack;
  private final Options options;
  private final PrintStream log;
  private final ArchiveCommands commands;

  /**
   * @param segments WAL segments (16 MiB each) to generate and archive
   * @param runs how many times each side runs
   * @param dir where the servers and archives keep their data
   * @param pgfleet how to start pgfleet: a java executable first, e.g. {@code [java, -cp, CP,
   *     io.pgfleet.cli.Main]}; the scenario inserts JVM options after it and appends {@code
   *     wal-push ...}
   * @param launcher the repository's {@code pgfleet} script, to also archive with {@code --spool}
   *     through it (its fast path is bash); null to leave that side out
   * @param agentClient the shipped {@code deploy/wal-agent/pgfleet-wal-push}, to also archive
   *     through a resident wal-agent, one segment ready at a time; null to leave that side out
   */
  public record Options(
      int segments, int runs, Path dir, List<String> pgfleet, Path launcher, Path agentClient) {
    public Options {
      if (segments < 1 || runs < 1) {
        throw new IllegalArgumentException("segments and runs must be at least 1");
      }
      pgfleet = List.copyOf(pgfleet);
    }

    public Options(int segments, int runs, Path dir, List<String> pgfleet) {
      this(segments, runs, dir, pgfleet, null, null);
    }
  }

  private WalPushBench(BenchStack stack, Options options, PrintStream log) {
    this.stack = stack;
    this.options = options;
    this.log = log;
    this.commands = new ArchiveCommands(options.pgfleet());
  }

  /** Runs the scenario on a fresh local stack under {@code options.dir()}; logs to {@code log}. */
  public static Report run(Options options, PrintStream log) throws Exception {
    return BenchStack.fresh(options.dir(), stack -> run(options, stack, log));
  }

  /** Runs the scenario on {@code stack}, which the caller started and closes. */
  public static Report run(Options options, BenchStack stack, PrintStream log) throws Exception {
    return new WalPushBench(stack, options, log).measure();
  }

  private Report measure() throws Exception {
    String serverVersion = serverVersion();
    log.printf(Locale.ROOT, "generating %d WAL segments...%n", options.segments());
    List<Path> segments =
        WalSegments.generate(
            stack.postgres(), options.segments(), options.dir().resolve("segments"));
    Path config = ArchiveConfig.write(options.dir().resolve("archive-config"), stack.storage());
    WalPushTimings t = new WalPushTimings();
    try (ArtifactStore store = ArtifactStore.connect(stack.storage())) {
      for (int run = 1; run <= options.runs(); run++) {
        measureRun(run, segments, config, store, t);
      }
    }
    return t.report(segments.size(), options.runs(), serverVersion);
  }

  private void measureRun(
      int run, List<Path> segments, Path config, ArtifactStore store, WalPushTimings t)
      throws Exception {
    String target = "bench_wal_" + run;
    Path archive = Files.createDirectories(options.dir().resolve("archive-" + run));
    boolean pgfleetFirst = run % 2 == 1;
    for (int side = 0; side < 2; side++) {
      if ((side == 0) == pgfleetFirst) {
        t.push.add(
            perSegment(
                run, "pgfleet", segments, f -> commands.walPush(List.of(), config, target, f)));
        t.fastPush.add(
            perSegment(
                run,
                "pgfleet-fast",
                segments,
                f -> commands.walPush(FAST_START, config, target + "_fast", f)));
      } else {
        t.cp.add(perSegment(run, "cp", segments, f -> ArchiveCommands.cp(f, archive)));
      }
    }
    WalArchive inJvm = new WalArchive(store, target + "_in_jvm");
    Path copies = Files.createDirectories(options.dir().resolve("copies-" + run));
    t.inJvmPush.add(perSegment(run, "push-in-jvm", segments, inJvm::push));
    t.inJvmCopy.add(
        perSegment(
            run,
            "copy-in-jvm",
            segments,
            f ->
                Files.copy(
                    f, copies.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING)));
    if (options.launcher() != null) {
      SpooledArchiver spooled =
          new SpooledArchiver(
              options.launcher(),
              config,
              target + "_spool",
              options.dir().resolve("spooled-" + run));
      spooled.prepare(segments);
      t.spool.add(perSegment(run, "pgfleet-spool", spooled.pgWal(segments), spooled::archive));
      t.spoolJvms.add(spooled.jvms());
      Path spoolCp = Files.createDirectories(options.dir().resolve("archive-spool-cp-" + run));
      t.spoolCp.add(perSegment(run, "cp", segments, f -> ArchiveCommands.cp(f, spoolCp)));
    }
    if (options.agentClient() != null) {
      measureAgent(run, segments, store, target + "_agent", t);
    }
    t.start.add(
        perSegment(run, "jvm-start", segments.subList(0, 1), f -> commands.version(List.of())));
    t.sh.add(
        perSegment(
            run,
            "sh-start",
            segments.subList(0, 1),
            f -> ArchiveCommands.exec(List.of("sh", "-c", "true"))));
  }

  /** A steady writer, one segment ready at a time, through the resident agent; then cp. */
  private void measureAgent(
      int run, List<Path> segments, ArtifactStore store, String target, WalPushTimings t)
      throws Exception {
    try (AgentArchiver agent =
        new AgentArchiver(
            options.agentClient(),
            store,
            target,
            options.dir().resolve("agent-" + run),
            stack.postgres().dataDir().resolve("global/pg_control"))) {
      agent.warmUp(segments.subList(0, Math.min(3, segments.size())));
      int before = agent.archived();
      List<Path> placed = new ArrayList<>();
      for (Path segment : segments) {
        placed.add(agent.place(segment));
      }
      t.agent.add(perSegment(run, "pgfleet-agent", placed, agent::archive));
      if (agent.archived() != before + segments.size()) {
        throw new IllegalStateException(
            "the agent's archive holds "
                + (agent.archived() - before)
                + " of "
                + segments.size()
                + " segments");
      }
    }
    Path cp = Files.createDirectories(options.dir().resolve("archive-agent-cp-" + run));
    t.agentCp.add(perSegment(run, "cp", segments, f -> ArchiveCommands.cp(f, cp)));
    Path synced = Files.createDirectories(options.dir().resolve("archive-agent-cp-sync-" + run));
    t.agentCpSync.add(
        perSegment(run, "cp+fsync", segments, f -> ArchiveCommands.cpDurable(f, synced)));
  }

  /** What archiving one segment does. */
  @FunctionalInterface
  interface Archiver {
    Object archive(Path segment) throws Exception;
  }

  /** Archives every segment one after the other; returns the mean milliseconds per segment. */
  private double perSegment(int run, String side, List<Path> segments, Archiver archiver)
      throws Exception {
    long start = System.nanoTime();
    for (Path segment : segments) {
      archiver.archive(segment);
    }
    double ms = (System.nanoTime() - start) / 1e6 / segments.size();
    log.printf(
        Locale.ROOT,
        "run %d %-12s %8.1f ms per segment, %7.2f segments/s%n",
        run,
        side,
        ms,
        1000 / ms);
    return ms;
  }

  private String serverVersion() throws java.sql.SQLException {
    try (var c = stack.postgres().connect("postgres");
        var st = c.createStatement();
        var rs = st.executeQuery("SHOW server_version")) {
      rs.next();
      return rs.getString(1);
    }
  }
}
