package io.pgfleet.dev.bench;

import io.pgfleet.bench.Report;
import io.pgfleet.bench.basebackup.BaseBackupBench;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pgfleet bench base-backup}. */
@Command(
    name = "base-backup",
    mixinStandardHelpOptions = true,
    description =
        "Physical base backup: pgfleet's base-backup through a worker to S3 against"
            + " pg_basebackup -Ft to a local directory.")
final class BenchBaseBackup extends SideBySideScenario {
  @Option(
      names = "--rows",
      defaultValue = "2000000",
      description = "Rows of ~150 bytes in the database (default: ${DEFAULT-VALUE})")
  int rows;

  @Override
  Report run(Path d) throws Exception {
    return BaseBackupBench.run(new BaseBackupBench.Options(rows, sides.count, d), System.err);
  }
}
