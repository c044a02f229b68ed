package io.pgfleet.dev;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pgfleet demo}: the whole flow on a local stack, in about half a minute. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "Starts a local Kafka, S3 and PostgreSQL, creates sample service databases, backs each up",
      "through a worker, verifies every artifact with a plain S3 client and pg_restore, and stops."
    })
final class DemoCommand implements Callable<Integer> {
  @Option(
      names = "--keep",
      description = "Stay up after the demo, printing the endpoints, until Ctrl-C")
  boolean keep;

  @Option(
      names = "--fleet",
      description = {
        "Runbook 000's 17 service databases instead, one worker and the dispatcher started from",
        "one fleet file derived from fleet.example.yaml (printed, with config check's summary)"
      })
  boolean fleet;

  @Option(
      names = "--dir",
      description = "Where the local stack keeps its data (default: a temporary directory)")
  Path dir;

  @Override
  public Integer call() throws Exception {
    quietLogs();
    Path workDir =
        dir != null ? Files.createDirectories(dir) : Files.createTempDirectory("pgfleet-demo");
    if (fleet) {
      try (FleetDemo demo = new FleetDemo(workDir, System.out)) {
        boolean allGood = demo.run();
        if (keep) {
          demo.printEndpoints();
          Thread.currentThread().join();
        }
        return allGood ? 0 : 1;
      }
    }
    try (Demo demo = new Demo(workDir, System.out)) {
      boolean allGood = demo.run();
      if (keep) {
        demo.printEndpoints();
        Thread.currentThread().join();
      }
      return allGood ? 0 : 1;
    }
  }

  /** The demo shows results, not log lines; PGFLEET_LOG_LEVEL brings them back. */
  private static void quietLogs() {
    if (System.getenv("PGFLEET_LOG_LEVEL") == null
        && LoggerFactory.getILoggerFactory() instanceof LoggerContext context) {
      context.getLogger("io.pgfleet").setLevel(Level.WARN);
      context.getLogger("org.apache.kafka").setLevel(Level.ERROR);
      context.getLogger("kafka").setLevel(Level.ERROR);
    }
  }
}
