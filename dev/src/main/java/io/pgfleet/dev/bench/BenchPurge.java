package io.pgfleet.dev.bench;

import io.pgfleet.bench.Report;
import io.pgfleet.bench.purge.PurgeBatching;
import io.pgfleet.bench.purge.PurgeBench;
import io.pgfleet.worker.config.PurgePolicy;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pgfleet bench purge}. */
@Command(
    name = "purge",
    mixinStandardHelpOptions = true,
    description =
        "Purge of expired outbox rows while another connection inserts: pgfleet's purge"
            + " against a single DELETE (total time, longest transaction, inserter p99"
            + " latency).")
final class BenchPurge extends SideBySideScenario {
  @Option(
      names = "--rows",
      defaultValue = "1000000",
      description = "Expired outbox rows (default: ${DEFAULT-VALUE})")
  int rows;

  @Option(
      names = "--batch-by",
      description = "The policy's batchBy for pgfleet's side: key or ctid (default: key)")
  String batchBy;

  @Option(
      names = "--batch-time",
      description = "The policy's batchTime, ms (default: the policy's default)")
  Long batchTimeMs;

  @Option(
      names = "--batch-size",
      description = "The policy's batchSize, rows (default: the policy's default)")
  Integer batchSize;

  @Option(
      names = "--max-batch-size",
      description = "The policy's maxBatchSize, rows (default: the policy's default)")
  Integer maxBatchSize;

  @Option(
      names = "--pause",
      description = "The policy's pause between batches, ms (default: the policy's default)")
  Long pauseMs;

  @Option(
      names = "--sessions",
      description = "The policy's sessions, with --batch-by ctid (default: the policy's default)")
  Integer sessions;

  @Override
  Report run(Path d) throws Exception {
    PurgeBatching batching =
        new PurgeBatching(
            batchBy == null ? null : PurgePolicy.BatchBy.parse(batchBy),
            batchTimeMs == null ? null : Duration.ofMillis(batchTimeMs),
            batchSize,
            maxBatchSize,
            pauseMs == null ? null : Duration.ofMillis(pauseMs),
            sessions);
    return PurgeBench.run(new PurgeBench.Options(rows, sides.count, d, batching), System.err);
  }
}
