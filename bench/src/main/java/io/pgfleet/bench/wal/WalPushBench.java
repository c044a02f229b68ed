package io.pgfleet.bench.wal;

import io.pgfleet.bench.BenchStack;
import io.pgfleet.bench.Machine;
import io.pgfleet.bench.Report;
import io.pgfleet.bench.Samples;
import io.pgfleet.worker.config.StorageSettings;
import io.pgfleet.worker.storage.ArtifactStore;
import io.pgfleet.worker.wal.WalArchive;
import java.io.IOException;
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

  /**
   * @param segments WAL segments (16 MiB each) to generate and archive
   * @param runs how many times each side runs
   * @param dir where the servers and archives keep their data
   * @param pgfleet how to start pgfleet: a java executable first, e.g. {@code [java, -cp, CP,
   *     io.pgfleet.cli.Main]}; the scenario inserts JVM options after it and appends {@code
   *     wal-push ...}
   * @param launcher the repository's {@code pgfleet} script, to also archive with {@code --spool}
   *     through it (its fast path is bash); null to leave that side out
   */
  public record Options(int segments, int runs, Path dir, List<String> pgfleet, Path launcher) {
    public Options {
      if (segments < 1 || runs < 1) {
        throw new IllegalArgumentException("segments and runs must be at least 1");
      }
      pgfleet = List.copyOf(pgfleet);
    }

    public Options(int segments, int runs, Path dir, List<String> pgfleet) {
      this(segments, runs, dir, pgfleet, null);
    }
  }

  private WalPushBench(BenchStack stack, Options options, PrintStream log) {
    this.stack = stack;
    this.options = options;
    this.log = log;
  }

  /** Runs the scenario on a fresh local stack under {@code options.dir()}; logs to {@code log}. */
  public static Report run(Options options, PrintStream log) throws Exception {
    try (BenchStack stack = BenchStack.start(options.dir())) {
      return new WalPushBench(stack, options, log).measure();
    }
  }

  private Report measure() throws Exception {
    String serverVersion = serverVersion();
    log.printf(Locale.ROOT, "generating %d WAL segments...%n", options.segments());
    List<Path> segments =
        WalSegments.generate(
            stack.postgres(), options.segments(), options.dir().resolve("segments"));
    Path config = archiveConfig(options.dir().resolve("archive-config"));
    List<Double> pushMs = new ArrayList<>();
    List<Double> fastPushMs = new ArrayList<>();
    List<Double> cpMs = new ArrayList<>();
    List<Double> inJvmPushMs = new ArrayList<>();
    List<Double> inJvmCopyMs = new ArrayList<>();
    List<Double> startMs = new ArrayList<>();
    List<Double> shMs = new ArrayList<>();
    List<Double> spoolMs = new ArrayList<>();
    List<Double> spoolCpMs = new ArrayList<>();
    List<Integer> spoolJvms = new ArrayList<>();
    try (ArtifactStore store = ArtifactStore.connect(stack.storage())) {
      for (int run = 1; run <= options.runs(); run++) {
        String target = "bench_wal_" + run;
        Path archive = Files.createDirectories(options.dir().resolve("archive-" + run));
        boolean pgfleetFirst = run % 2 == 1;
        for (int side = 0; side < 2; side++) {
          if ((side == 0) == pgfleetFirst) {
            pushMs.add(
                perSegment(run, "pgfleet", segments, f -> pgfleet(List.of(), config, target, f)));
            fastPushMs.add(
                perSegment(
                    run,
                    "pgfleet-fast",
                    segments,
                    f -> pgfleet(FAST_START, config, target + "_fast", f)));
          } else {
            cpMs.add(perSegment(run, "cp", segments, f -> cp(f, archive)));
          }
        }
        WalArchive inJvm = new WalArchive(store, target + "_in_jvm");
        Path copies = Files.createDirectories(options.dir().resolve("copies-" + run));
        inJvmPushMs.add(perSegment(run, "push-in-jvm", segments, inJvm::push));
        inJvmCopyMs.add(
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
          spoolMs.add(perSegment(run, "pgfleet-spool", spooled.pgWal(segments), spooled::archive));
          spoolJvms.add(spooled.jvms());
          Path spoolCp = Files.createDirectories(options.dir().resolve("archive-spool-cp-" + run));
          spoolCpMs.add(perSegment(run, "cp", segments, f -> cp(f, spoolCp)));
        }
        startMs.add(perSegment(run, "jvm-start", segments.subList(0, 1), f -> version(List.of())));
        shMs.add(
            perSegment(
                run, "sh-start", segments.subList(0, 1), f -> exec(List.of("sh", "-c", "true"))));
      }
    }
    Report report =
        report(
            segments.size(),
            pushMs,
            fastPushMs,
            cpMs,
            inJvmPushMs,
            inJvmCopyMs,
            startMs,
            shMs,
            serverVersion);
    if (!spoolMs.isEmpty()) {
      Samples spoolS = Samples.of(spoolMs);
      report
          .row(
              "archive_command with --spool (bash fast path), ms per segment",
              spoolS,
              Samples.of(spoolCpMs),
              Double.NaN)
          .row(
              "segments/s, archive_command with --spool",
              throughput(spoolMs),
              throughput(spoolCpMs),
              Double.NaN)
          .note(
              String.format(
                  Locale.ROOT,
                  "--spool: every segment ready at once (a server behind); %s JVMs started for"
                      + " %d segments per run; %.3g segments/s (%.3g MB/s of WAL)",
                  spoolJvms,
                  segments.size(),
                  1000 / spoolS.median(),
                  16.777216 * 1000 / spoolS.median()));
    }
    return report;
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

  private Object pgfleet(List<String> jvmOptions, Path config, String target, Path segment)
      throws IOException, InterruptedException {
    List<String> command = command(jvmOptions);
    command.addAll(
        List.of("wal-push", "--config", config.toString(), "--target", target, segment.toString()));
    return exec(command);
  }

  private Object version(List<String> jvmOptions) throws IOException, InterruptedException {
    List<String> command = command(jvmOptions);
    command.add("--version");
    return exec(command);
  }

  private List<String> command(List<String> jvmOptions) {
    List<String> command = new ArrayList<>();
    command.add(options.pgfleet().get(0));
    command.addAll(jvmOptions);
    command.addAll(options.pgfleet().subList(1, options.pgfleet().size()));
    return command;
  }

  /** PostgreSQL runs archive_command through the shell: so does the baseline. */
  private static Object cp(Path segment, Path archive) throws IOException, InterruptedException {
    return exec(
        List.of("sh", "-c", "cp " + segment + " " + archive.resolve(segment.getFileName())));
  }

  private static Object exec(List<String> command) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    byte[] out = p.getInputStream().readAllBytes();
    int code = p.waitFor();
    if (code != 0) {
      throw new IllegalStateException(
          String.join(" ", command) + " exited with " + code + ": " + new String(out));
    }
    return code;
  }

  /** The storage section wal-push reads, credentials in files beside it as the README advises. */
  private Path archiveConfig(Path dir) throws IOException {
    Files.createDirectories(dir);
    StorageSettings s = stack.storage();
    Path access = Files.writeString(dir.resolve("s3-access-key"), s.accessKey().reveal());
    Path secret = Files.writeString(dir.resolve("s3-secret-key"), s.secretKey().reveal());
    return Files.writeString(
        dir.resolve("archive.yaml"),
        """
        storage:
          endpoint: %s
          region: %s
          bucket: %s
          prefix: %s
          accessKey: {file: %s}
          secretKey: {file: %s}
        """
            .formatted(s.endpoint(), s.region(), s.bucket(), s.prefix(), access, secret));
  }

  private Report report(
      int segments,
      List<Double> push,
      List<Double> fastPush,
      List<Double> cp,
      List<Double> inJvmPush,
      List<Double> inJvmCopy,
      List<Double> start,
      List<Double> sh,
      String serverVersion) {
    Samples pushS = Samples.of(push);
    Samples cpS = Samples.of(cp);
    return new Report(
            String.format(
                Locale.ROOT,
                "wal-push: %d segments of 16 MiB, %d runs each",
                segments,
                options.runs()))
        // keeping up with a busy server: 16 MB/s of WAL is one segment a second
        .bounded("archive_command, ms per segment (a process each)", pushS, cpS, 1000)
        .row("segments/s, archive_command", throughput(push), throughput(cp), Double.NaN)
        .row(
            "archive_command with " + String.join(" ", FAST_START) + ", ms per segment",
            Samples.of(fastPush),
            cpS,
            Double.NaN)
        .row(
            "in one process (WalArchive.push vs Files.copy), ms per segment",
            Samples.of(inJvmPush),
            Samples.of(inJvmCopy),
            Double.NaN)
        .row(
            "process start (pgfleet --version vs sh -c true), ms",
            Samples.of(start),
            Samples.of(sh),
            Double.NaN)
        .note(
            String.format(
                Locale.ROOT,
                "pgfleet: %.3g segments/s (%.3g MB/s of WAL) as archive_command; the runbooks' cp:"
                    + " %.3g segments/s",
                1000 / pushS.median(),
                16.777216 * 1000 / pushS.median(),
                1000 / cpS.median()))
        .note("machine: " + Machine.describe(serverVersion));
  }

  private String serverVersion() throws java.sql.SQLException {
    try (var c = stack.postgres().connect("postgres");
        var st = c.createStatement();
        var rs = st.executeQuery("SHOW server_version")) {
      rs.next();
      return rs.getString(1);
    }
  }

  private static Samples throughput(List<Double> msPerSegment) {
    return Samples.of(msPerSegment.stream().map(ms -> 1000 / ms).toList());
  }
}
