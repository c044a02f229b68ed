package io.pgfleet.dev.bench;

import io.pgfleet.bench.DataSize;
import io.pgfleet.bench.verify.VerifyBench;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code pgfleet bench verify-backup}. */
@Command(
    name = "verify-backup",
    mixinStandardHelpOptions = true,
    description =
        "Restore drill through a worker against the manual runbook sequence (createdb,"
            + " pg_restore of a local file, counts with psql, dropdb).")
final class BenchVerifyBackup implements Callable<Integer> {
  @Option(
      names = "--size",
      defaultValue = "1GB",
      description = "Database size (default: ${DEFAULT-VALUE})")
  String size;

  @Mixin RunsPerSide sides;

  @Mixin BenchDir benchDir;

  @Override
  public Integer call() throws Exception {
    return BenchRun.in(
        benchDir.dir,
        d ->
            VerifyBench.run(
                new VerifyBench.Options(DataSize.parse(size), sides.count, d), System.err));
  }
}
