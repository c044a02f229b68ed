package io.pgfleet.dev.bench;

import io.pgfleet.bench.Report;
import io.pgfleet.bench.overhead.CommandOverheadBench;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pgfleet bench command-overhead}. */
@Command(
    name = "command-overhead",
    mixinStandardHelpOptions = true,
    description =
        "Many cheap commands (ANALYZE of a small table) across the platform's databases:"
            + " pgfleet's analyze commands through one worker against a loop of psql -c per"
            + " command; throughput and p50/p99 latency from publish to result.")
final class BenchCommandOverhead extends SideBySideScenario {
  @Option(
      names = "--commands",
      defaultValue = "1000",
      description = "Commands per run (default: ${DEFAULT-VALUE})")
  int commands;

  @Option(
      names = "--targets",
      defaultValue = "17",
      description = "Target databases (default: ${DEFAULT-VALUE})")
  int targets;

  @Option(
      names = "--concurrent-runs",
      defaultValue = "2",
      description = "The worker's maxConcurrentRuns (default: ${DEFAULT-VALUE}, as shipped)")
  int concurrentRuns;

  @Override
  Report run(Path workDir) throws Exception {
    return CommandOverheadBench.run(
        new CommandOverheadBench.Options(commands, targets, sides.count, concurrentRuns, workDir),
        System.err);
  }
}
