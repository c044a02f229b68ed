package io.pgfleet.dev.bench;

import io.pgfleet.bench.Report;
import io.pgfleet.bench.nightly.FleetNightlyBench;
import io.pgfleet.commands.BackupParams;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pgfleet bench fleet-nightly}. */
@Command(
    name = "fleet-nightly",
    mixinStandardHelpOptions = true,
    description =
        "Nightly backups of the platform's 17 service databases: pgfleet's backup commands"
            + " through one worker against the runbook's backup_all.sh (a sequential pg_dump"
            + " -Fc -Z6 loop); wall time and bytes stored.")
final class BenchFleetNightly extends SideBySideScenario {
  @Option(
      names = "--databases",
      defaultValue = "17",
      description = "How many of the 17 service databases (default: ${DEFAULT-VALUE})")
  int databases;

  @Option(
      names = "--min-mb",
      defaultValue = "20",
      description = "Smallest database, MB (default: ${DEFAULT-VALUE})")
  int minMb;

  @Option(
      names = "--max-mb",
      defaultValue = "60",
      description = "Largest database, MB (default: ${DEFAULT-VALUE})")
  int maxMb;

  @Option(
      names = "--zstd-level",
      defaultValue = "" + BackupParams.DEFAULT_ZSTD_LEVEL, // the shipped default
      description = "zstd level the backup commands ask for (default: ${DEFAULT-VALUE})")
  int zstdLevel;

  @Override
  Report run(Path workDir) throws Exception {
    return FleetNightlyBench.run(
        new FleetNightlyBench.Options(databases, minMb, maxMb, sides.count, zstdLevel, workDir),
        System.err);
  }
}
