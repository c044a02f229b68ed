package io.pgfleet.dev.bench;

import io.pgfleet.bench.DataSize;
import io.pgfleet.bench.Report;
import io.pgfleet.bench.backupstream.BackupStreamBench;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pgfleet bench backup-stream}. */
@Command(
    name = "backup-stream",
    mixinStandardHelpOptions = true,
    description =
        "Logical backup to S3 through a worker against pg_dump -Fc -Z6 to a file then aws s3 cp"
            + " (a), and against pg_dump -Fc -Z6 to /dev/null (b); the worker's heap and RSS at"
            + " each size the database grows through.")
final class BenchBackupStream extends SideBySideScenario {
  @Option(
      names = "--size",
      defaultValue = "1GB",
      description = "Database size the sides are timed at (default: ${DEFAULT-VALUE})")
  String size;

  @Option(
      names = "--sizes",
      defaultValue = "100MB,500MB,2GB",
      split = ",",
      description = "Further sizes where memory is sampled (default: ${DEFAULT-VALUE})")
  List<String> sizes;

  @Override
  Report run(Path d) throws Exception {
    List<Long> memorySizes = sizes.stream().map(DataSize::parse).toList();
    return BackupStreamBench.run(
        new BackupStreamBench.Options(DataSize.parse(size), memorySizes, sides.count, d),
        System.err);
  }
}
