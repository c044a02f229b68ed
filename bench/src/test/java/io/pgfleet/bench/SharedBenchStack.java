package io.pgfleet.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * One bench stack for the smoke tests of a JVM whose scenarios change nothing on the servers but
 * databases, topics and objects of their own, which a later scenario replaces or never reads:
 * started on first use, closed by a shutdown hook. The rpo scenario (it reconfigures and restarts
 * PostgreSQL), scale (it times a worker's first start on a fresh cluster) and base-backup (it
 * copies the whole cluster) start their own.
 */
final class SharedBenchStack {
  private static BenchStack stack;

  private SharedBenchStack() {}

  static synchronized BenchStack get() {
    if (stack == null) {
      Path dir = tempDir();
      BenchStack started = BenchStack.start(dir);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    started.close();
                    dir.toFile().delete(); // empty: the stack deletes its servers' directory
                  },
                  "pgfleet-bench-stack-stop"));
      stack = started;
    }
    return stack;
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("pgfleet-bench-smoke-");
    } catch (IOException e) {
      throw new UncheckedIOException("could not create a directory for the bench stack", e);
    }
  }
}
