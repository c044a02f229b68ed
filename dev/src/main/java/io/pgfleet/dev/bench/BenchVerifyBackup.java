package io.pgfleet.dev.bench;

import io.pgfleet.bench.Report;
import io.pgfleet.bench.verify.VerifyBench;
import java.nio.file.Path;
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
final class BenchVerifyBackup extends SideBySideScenario {
  @Mixin DatabaseSize size;

  @Option(
      names = "--drill-jobs",
      description =
          "1 (default): drill a gzip 6 and a zstd 2 artifact, streamed; more: drill the gzip 6"
              + " artifact streamed and with this many pg_restore jobs from a local copy")
  int jobs = 1;

  @Override
  Report run(Path d) throws Exception {
    return VerifyBench.run(new VerifyBench.Options(size.bytes(), sides.count, d, jobs), System.err);
  }
}
