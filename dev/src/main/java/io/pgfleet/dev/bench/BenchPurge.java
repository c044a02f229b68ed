package io.pgfleet.dev.bench;

import io.pgfleet.bench.purge.PurgeBench;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pgfleet bench purge}. */
@Command(
    name = "purge",
    mixinStandardHelpOptions = true,
    description =
        "Purge of expired outbox rows while another connection inserts: pgfleet's purge"
            + " against a single DELETE (total time, longest transaction, inserter p99"
            + " latency).")
final class BenchPurge implements Callable<Integer> {
  @Option(
      names = "--rows",
      defaultValue = "1000000",
      description = "Expired outbox rows (default: ${DEFAULT-VALUE})")
  int rows;

  @Mixin RunsPerSide sides;

  @Mixin BenchDir benchDir;

  @Override
  public Integer call() throws Exception {
    return BenchRun.in(
        benchDir.dir,
        d -> PurgeBench.run(new PurgeBench.Options(rows, sides.count, d), System.err));
  }
}
