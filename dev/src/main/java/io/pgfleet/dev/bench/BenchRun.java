package io.pgfleet.dev.bench;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import io.pgfleet.bench.Report;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/** Runs a scenario in {@code --dir} or a temporary directory, and prints its report. */
final class BenchRun {
  private BenchRun() {}

  /** A scenario, given the directory where its servers keep their data. */
  @FunctionalInterface
  interface Scenario {
    Report run(Path workDir) throws Exception;
  }

  static int in(Path dir, Scenario scenario) throws Exception {
    quietLogs();
    Path workDir =
        dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("pgfleet-bench");
    try {
      scenario.run(workDir).print(System.out);
      return 0;
    } finally {
      if (dir == null) {
        deleteTree(workDir);
      }
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** The report is the output; log lines would only interleave with it (the warm-up fails). */
  private static void quietLogs() {
    if (System.getenv("PGFLEET_LOG_LEVEL") == null
        && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger("io.pgfleet").setLevel(Level.ERROR);
      context.getLogger("org.apache.kafka").setLevel(Level.ERROR);
      context.getLogger("kafka").setLevel(Level.ERROR);
    }
  }
}
