package io.pgfleet.bench.scale;

import io.pgfleet.bench.Samples;
import io.pgfleet.worker.config.WorkerConfig;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The worker's starts before the measured one: a first start on the cluster and a plain restart,
 * always timed. With a class-data archive, the bench's experiment only ({@code ./pgfleet} does not
 * use one: JDK 17 can crash mapping it while a class-file hook is on, JDK-8343427), the first start
 * also writes the classes it loaded at its exit ({@code -XX:ArchiveClassesAtExit}) and the measured
 * start maps them ({@code -XX:SharedArchiveFile}).
 */
final class ClassArchive {
  /** The bench's heap bound; JVM log lines to stderr (the log file), not stdout (the answers). */
  private static final List<String> BASE_OPTIONS =
      List.of("-Xmx512m", "-Xlog:disable", "-Xlog:all=warning:stderr");

  private final Path dir;
  private final Path file;
  private final PrintStream log;
  private final TargetTopics topics;
  private final int targets;

  private ClassArchive(Path dir, Path file, PrintStream log, TargetTopics topics, int targets) {
    this.dir = dir;
    this.file = file;
    this.log = log;
    this.topics = topics;
    this.targets = targets;
  }

  static ClassArchive of(ScaleBench.Options options, PrintStream log, TargetTopics topics) {
    Path file = options.classArchive() ? options.dir().resolve("idle-worker.jsa") : null;
    return new ClassArchive(options.dir(), file, log, topics, options.targets());
  }

  /**
   * Starts a worker, waits for its partitions, stops it: the seconds from its start to every topic
   * assigned. It is the first worker on the cluster, which creates Kafka's group and transaction
   * topics for it; with an archive, it writes the archive at its exit.
   */
  Samples firstStart(WorkerConfig config) throws Exception {
    List<String> jvm = new java.util.ArrayList<>(BASE_OPTIONS);
    if (file == null) {
      log.println("first start of the worker...");
    } else {
      log.println("first start of the worker, writing the class-data archive...");
      jvm.add("-XX:ArchiveClassesAtExit=" + file);
    }
    Samples seconds = timedStart(config, jvm);
    if (file != null) {
      log.printf(Locale.ROOT, "archive: %s%n", describe());
    }
    return seconds;
  }

  String firstStartLabel() {
    return file == null
        ? "first start on the cluster to every topic assigned, s"
        : "first start on the cluster (writing the class-data archive) to every topic assigned, s";
  }

  /**
   * A restart without the archive: with one, to set against the measured start that maps it;
   * without, a plain restart like the measured one.
   */
  Samples plainRestart(WorkerConfig config) throws Exception {
    log.println(
        file == null ? "restart of the worker..." : "restart without the class-data archive...");
    return timedStart(config, BASE_OPTIONS);
  }

  String plainRestartLabel() {
    return file == null
        ? "plain restart to every topic assigned, s"
        : "restart without the class-data archive to every topic assigned, s";
  }

  private Samples timedStart(WorkerConfig config, List<String> jvm) throws Exception {
    long start = System.nanoTime();
    double seconds;
    try (WorkerProcess worker = WorkerProcess.start(config, dir, jvm)) {
      topics.awaitAssigned(targets);
      seconds = (System.nanoTime() - start) / 1e9;
    }
    topics.awaitEmpty();
    log.printf(Locale.ROOT, "every target topic assigned after %.1f s%n", seconds);
    return new Samples(new double[] {seconds});
  }

  /**
   * The measured worker's JVM options: the archive, when the first start wrote one and no JFR
   * recording or agent is asked for (JDK 17 can crash loading an archived class while a class-file
   * hook is on, JDK-8343427).
   */
  List<String> jvmOptions() {
    List<String> jvm = new java.util.ArrayList<>(BASE_OPTIONS);
    if (file != null && Files.isRegularFile(file) && !classFileHooks()) {
      jvm.add("-XX:SharedArchiveFile=" + file);
    }
    return jvm;
  }

  private static boolean classFileHooks() {
    return WorkerProcess.extraJvmOptions().stream()
        .anyMatch(
            o ->
                o.contains("StartFlightRecording")
                    || o.startsWith("-javaagent")
                    || o.startsWith("-agent"));
  }

  String describe() {
    if (file == null) {
      return "no class-data archive";
    }
    if (classFileHooks()) {
      return "no class-data archive mapped: a JFR recording or agent is asked for";
    }
    try {
      return String.format(
          Locale.ROOT,
          "class-data archive of %.0f MB written by a first start, mapped by the measured one",
          Files.size(file) / 1e6);
    } catch (java.io.IOException e) {
      return "no class-data archive (the first start wrote none: " + e.getMessage() + ")";
    }
  }
}
